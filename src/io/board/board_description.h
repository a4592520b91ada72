// The board as the binding stage sees it: nodes with compatible strings, register windows,
// interrupts and properties. Produced from a compiled devicetree (.dtb, via libfdt) on hosted
// builds, and from a table generated at build time on microcontrollers. Views only: the
// producer owns the storage and must outlive the description.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace wasmio::io {

struct RegWindow {
  std::uint64_t address = 0;
  std::uint64_t size = 0;
};

struct BoardProperty {
  std::string_view name;
  std::span<const std::uint8_t> value;  // raw devicetree bytes (big-endian cells)
};

struct BoardNode {
  std::string_view path;   // "/apb@40000000/serial@40004000"
  std::string_view label;  // devicetree label ("uart0"), may be empty
  std::span<const std::string_view> compatible;  // most specific first
  std::span<const RegWindow> regs;               // translated to CPU addresses
  std::span<const std::uint32_t> irqs;           // interrupt numbers (NVIC lines on Cortex-M)
  std::span<const BoardProperty> properties;
  bool enabled = true;  // status = "okay" (or absent)
  std::uint32_t parent = UINT32_MAX;  // index into BoardDescription::nodes (buses: I2C devices)
  std::uint64_t bus_address = 0;      // for devices on a bus (I2C address), else 0
};

struct BoardDescription {
  std::string_view model;
  std::span<const BoardNode> nodes;
};

}  // namespace wasmio::io
