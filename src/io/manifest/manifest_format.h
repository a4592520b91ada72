// Constants of the manifest's binary encoding, shared by the parser, the writer and the fuzzer.
// The guest SDK (sdk/include/wasmio/driver.h) emits the same bytes from assembler directives;
// docs/manifest-format.md is the specification both follow.
#pragma once

#include <cstdint>

namespace wasmio::io::manifest_format {

// Every record: major u8, minor u8, kind u8, body length u16 little-endian, then the body.
inline constexpr std::uint32_t kRecordHeaderBytes = 5;
inline constexpr std::uint32_t kMaxBodyBytes = 0xFFFF;

enum class RecordKind : std::uint8_t {
  kDriver = 1,      // access_path u8, map_base u32, map_size u32, name str
  kPeripheral = 2,  // flags u8, label str, compatible str..., empty str
  kWindow = 3,      // label str, index u8, widths u8, min_size u32, count u8, {offset u32, length u32}*
  kIrq = 4,         // label str, index u8, priority u8, budget u32, min_interarrival_us u32, handler str
  kProperty = 5,    // label str, name str
};

const char* record_kind_name(std::uint8_t kind) noexcept;

}  // namespace wasmio::io::manifest_format
