// What a driver asks of the board, as declared in its `wasmio.manifest` custom section: its
// peripherals by role (label), never by address. The binary format is specified byte by byte in
// docs/manifest-format.md; manifest_parser.h reads it, manifest_writer.h produces it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wasmio::io {

// The custom section that carries a manifest.
inline constexpr std::string_view kManifestSectionName = "wasmio.manifest";

// Format version this code reads and writes. A record with another major version is refused; a
// record with a newer minor version may carry appended fields and record kinds we skip.
inline constexpr std::uint8_t kManifestMajorVersion = 1;
inline constexpr std::uint8_t kManifestMinorVersion = 0;

// How the driver's code reaches its registers; chosen when the driver is compiled.
enum class AccessPath : std::uint8_t {
  kHostCall = 0,  // every access is an import call (wasmio.reg_read32, ...)
  kMapped = 1,    // windows appear at guest addresses in [map_base, map_base + map_size)
  kCopy = 2,      // registers are copied into a guest shadow buffer in batches
};
const char* access_path_name(AccessPath path) noexcept;

// Access widths a window allows, as a bitmask.
inline constexpr std::uint8_t kWidth8 = 1;
inline constexpr std::uint8_t kWidth16 = 2;
inline constexpr std::uint8_t kWidth32 = 4;
inline constexpr std::uint8_t kWidth64 = 8;
inline constexpr std::uint8_t kWidthMask = 0x0F;

// Peripheral flags.
inline constexpr std::uint8_t kPeripheralExclusive = 1;  // no other container may share the node
inline constexpr std::uint8_t kPeripheralOptional = 2;   // bind without it when the board lacks it
inline constexpr std::uint8_t kPeripheralFlagMask = 0x03;

// Bytes of a window that must never be shadowed by the copy path (read-to-clear registers,
// FIFOs, write-1-to-clear bits): accesses there always go to the device.
struct VolatileRange {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  bool operator==(const VolatileRange&) const = default;
};

struct WindowNeed {
  std::uint8_t index = 0;      // the node's reg entry
  std::uint8_t widths = 0;     // kWidth* bitmask, non-zero
  std::uint32_t min_size = 0;  // bytes the driver touches; the grant is exactly this size
  std::vector<VolatileRange> volatile_ranges;
  bool operator==(const WindowNeed&) const = default;
};

struct IrqNeed {
  std::uint8_t index = 0;                 // the node's interrupts entry
  std::uint8_t priority = 0;              // 0 = most urgent, as on the NVIC
  std::uint32_t budget = 0;               // fuel units one handler run may use, > 0
  std::uint32_t min_interarrival_us = 0;  // expected minimum spacing; 0 = unspecified
  std::string handler;                    // exported function run for this interrupt
  bool operator==(const IrqNeed&) const = default;
};

struct PeripheralNeed {
  std::string label;                    // the driver's name for it (a C identifier)
  std::vector<std::string> compatible;  // accepted devicetree compatibles, preferred first
  std::uint8_t flags = 0;               // kPeripheral* bits
  std::vector<WindowNeed> windows;      // in declaration order
  std::vector<IrqNeed> irqs;
  std::vector<std::string> properties;  // devicetree properties the driver reads

  bool exclusive() const noexcept { return (flags & kPeripheralExclusive) != 0; }
  bool optional() const noexcept { return (flags & kPeripheralOptional) != 0; }
  const WindowNeed* find_window(std::uint8_t index) const noexcept;
  bool operator==(const PeripheralNeed&) const = default;
};

struct Manifest {
  std::uint8_t minor_version = kManifestMinorVersion;  // highest minor among the records
  std::string driver;                                  // the driver's name
  AccessPath access_path = AccessPath::kHostCall;
  std::uint32_t map_base = 0;  // kMapped only: guest address range where windows appear
  std::uint32_t map_size = 0;
  std::vector<PeripheralNeed> peripherals;  // in declaration order

  const PeripheralNeed* find(std::string_view label) const noexcept;
  bool operator==(const Manifest&) const = default;
};

// Bounds the parser enforces, so a hostile section cannot make the host allocate or loop without
// limit. Generous for real drivers (a UART needs 1 window, 1-4 IRQs).
struct ManifestLimits {
  static constexpr std::uint32_t kMaxSectionBytes = 64 * 1024;
  static constexpr std::uint32_t kMaxRecords = 1024;
  static constexpr std::uint32_t kMaxPeripherals = 32;
  static constexpr std::uint32_t kMaxCompatibles = 8;
  static constexpr std::uint32_t kMaxWindows = 8;  // per peripheral; indices 0..7
  static constexpr std::uint32_t kMaxIrqs = 8;     // per peripheral; indices 0..7
  static constexpr std::uint32_t kMaxProperties = 16;
  static constexpr std::uint32_t kMaxVolatileRanges = 16;  // per window
  static constexpr std::uint32_t kMaxStringBytes = 63;     // excluding the NUL
  static constexpr std::uint32_t kMaxWindowSize = 16u * 1024 * 1024;
  static constexpr std::uint32_t kMinMapSize = 4096;
};

}  // namespace wasmio::io
