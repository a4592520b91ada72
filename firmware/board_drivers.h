// Driver containers on the AN385: the board as the dtgen table, one grant registry, raw register
// windows at the physical addresses, and the driver images linked into flash. The same
// DriverContainer as on the simulated board: manifest -> bind -> windows -> instantiate.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "io/bind/binding.h"
#include "io/container/driver_container.h"
#include "io/container/window_source.h"

namespace wasmio::firmware {

// A driver .wasm linked into the image (firmware/CMakeLists.txt: wasmio_embed_wasm).
std::span<const std::uint8_t> driver_image(std::string_view name);  // empty when unknown

class BoardDrivers {
 public:
  BoardDrivers();

  // `bytes_stay`: the bytes outlive the container (flash): no RAM copy of the binary.
  // `max_memory_bytes`: the linear memory cap (0: two 64 KiB pages).
  io::ContainerLoad load(std::span<const std::uint8_t> bytes, std::string_view name,
                         bool bytes_stay, std::uint64_t max_memory_bytes = 0);
  io::GrantRegistry& registry() { return registry_; }
  io::WindowSource& windows() { return windows_; }
  const io::BoardDescription& board() const;

 private:
  io::GrantRegistry registry_;
  io::RawMemoryWindows windows_;
};

// A driver received at run time: the container refers to `bytes`, so both live together.
struct InstalledDriver {
  std::vector<std::uint8_t> bytes;
  std::unique_ptr<io::DriverContainer> container;
};

// Execution limits for one container on the MCU (the host defaults are sized for Linux).
io::ContainerOptions mcu_container_options();

}  // namespace wasmio::firmware
