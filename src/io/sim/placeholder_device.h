// A decoded but unmodelled block (QEMU's "unimplemented device"): reads 0, writes are ignored.
// AN385's CMSDK GPIO blocks are this in QEMU, so they are this here too.
#pragma once

#include "sim_device.h"

namespace wasmio::io::sim {

class PlaceholderDevice final : public SimDevice {
 public:
  PlaceholderDevice(DeviceConfig config, SimContext context, std::string kind)
      : SimDevice(std::move(config), context), kind_(std::move(kind)) {}
  std::string_view kind() const override { return kind_; }
  std::uint64_t read(std::uint64_t, unsigned) override { return 0; }
  void write(std::uint64_t, unsigned, std::uint64_t) override {}
  void reset() override {}

 private:
  std::string kind_;
};

}  // namespace wasmio::io::sim
