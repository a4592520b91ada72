// Internal: readers for the binary encodings of types (value, reference, limits, table,
// memory, global), shared by the section decoders and the instruction reader.
#pragma once

#include "common/byte_reader.h"
#include "wasmio/types.h"

namespace wasmio::detail {

// Number types and reference types. v128 (0x7B) is rejected as malformed: this engine
// implements Wasm 2.0 without SIMD, so a SIMD module is not in the format it accepts, and the
// later stages never have to consider v128.
inline Expected<ValType> read_valtype(ByteReader& r) noexcept {
  const std::uint32_t at = r.pos();
  WASMIO_TRY_ASSIGN(b, r.u8());
  switch (b) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x70: case 0x6F:
      return static_cast<ValType>(b);
    default:
      // Type codes are one-byte signed LEBs in the spec's reading.
      if (b & 0x80) return unexpected(ErrorCode::kIntegerRepresentationTooLong, at);
      return unexpected(ErrorCode::kMalformedValueType, at);
  }
}

inline Expected<ValType> read_reftype(ByteReader& r) noexcept {
  const std::uint32_t at = r.pos();
  WASMIO_TRY_ASSIGN(b, r.u8());
  if (b == 0x70 || b == 0x6F) return static_cast<ValType>(b);
  return unexpected(ErrorCode::kMalformedReferenceType, at);
}

// limits: 0x00 min | 0x01 min max (u32 each; the validator checks the ranges). The flags byte
// is a one-byte LEB in the spec's reading: a continuation bit is "integer representation too
// long", any flag bit outside `allowed_flags` "integer too large". Returns the flags.
Expected<std::uint8_t> read_limits(ByteReader& r, std::uint8_t allowed_flags, Limits& limits) noexcept;

inline Expected<Limits> read_limits(ByteReader& r) noexcept {
  Limits limits;
  WASMIO_TRY(read_limits(r, 0x01, limits));
  return limits;
}

// A memory type; flag bit 3 (custom-page-sizes proposal) adds the page size's log2 as a u32.
// An exponent above 16 is malformed; 1..15 decode and fail validation (the proposal's split).
Expected<MemoryType> read_memory_type(ByteReader& r) noexcept;

inline Expected<TableType> read_table_type(ByteReader& r) noexcept {
  TableType t;
  WASMIO_TRY_ASSIGN(element, read_reftype(r));
  WASMIO_TRY_ASSIGN(limits, read_limits(r));
  t.element = element;
  t.limits = limits;
  return t;
}

inline Expected<GlobalType> read_global_type(ByteReader& r) noexcept {
  GlobalType t;
  WASMIO_TRY_ASSIGN(type, read_valtype(r));
  const std::uint32_t at = r.pos();
  WASMIO_TRY_ASSIGN(mut, r.u8());
  if (mut > 1) return unexpected(ErrorCode::kMalformedMutability, at);
  t.type = type;
  t.mutable_ = mut == 1;
  return t;
}

}  // namespace wasmio::detail
