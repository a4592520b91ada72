// Plain RAM on the simulated bus ("mmio-sram"): what a DMA controller reads and writes as system
// memory (mps2-an385-dma.dts reserves 64 KiB of SSRAM2/3 for DMA staging). Little endian;
// accesses of 1, 2 and 4 bytes at any aligned offset.
#pragma once

#include <vector>

#include "sim_device.h"

namespace wasmio::io::sim {

class SimRam final : public SimDevice {
 public:
  SimRam(DeviceConfig config, SimContext context)
      : SimDevice(std::move(config), context), bytes_(this->config().window.size, 0) {}
  static constexpr std::string_view kCompatible = "mmio-sram";
  std::string_view kind() const override { return kCompatible; }
  std::uint64_t read(std::uint64_t offset, unsigned width) override {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i) v |= std::uint64_t{bytes_[offset + i]} << (8 * i);
    return v;
  }
  void write(std::uint64_t offset, unsigned width, std::uint64_t value) override {
    for (unsigned i = 0; i < width; ++i)
      bytes_[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  void reset() override {}                               // RAM keeps its contents over a reset
  std::vector<std::uint8_t>& bytes() { return bytes_; }  // backdoor (host staging, tests)

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace wasmio::io::sim
