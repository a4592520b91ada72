// Wasm types and values as the embedder sees them.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace wasmio {

// Value types, numbered by their binary encoding.
enum class ValType : std::uint8_t {
  kI32 = 0x7F,
  kI64 = 0x7E,
  kF32 = 0x7D,
  kF64 = 0x7C,
  kV128 = 0x7B,  // reserved: SIMD arrives in a later issue
  kFuncRef = 0x70,
  kExternRef = 0x6F,
};

const char* valtype_name(ValType t) noexcept;
constexpr bool is_reftype(ValType t) noexcept {
  return t == ValType::kFuncRef || t == ValType::kExternRef;
}
constexpr bool is_numtype(ValType t) noexcept {
  return t == ValType::kI32 || t == ValType::kI64 || t == ValType::kF32 || t == ValType::kF64;
}

enum class ExternKind : std::uint8_t { kFunction = 0, kTable = 1, kMemory = 2, kGlobal = 3 };
const char* extern_kind_name(ExternKind k) noexcept;

// A function type; the type arrays are owned by the module or store that hands it out.
struct FuncType {
  std::span<const ValType> params;
  std::span<const ValType> results;
};
bool operator==(const FuncType& a, const FuncType& b) noexcept;

struct Limits {
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  bool has_max = false;
};

// The custom-page-sizes proposal: a memory's page is 2^page_size_log2 bytes, 65536 unless the
// module says otherwise; only 1 (log2 0) and 65536 (log2 16) are valid. Limits, memory.size and
// memory.grow count in the memory's own pages.
inline constexpr std::uint8_t kDefaultPageSizeLog2 = 16;
struct MemoryType {
  Limits limits;  // in pages of 2^page_size_log2 bytes
  std::uint8_t page_size_log2 = kDefaultPageSizeLog2;

  std::uint64_t page_size() const noexcept { return std::uint64_t{1} << page_size_log2; }
};
struct TableType {
  ValType element = ValType::kFuncRef;
  Limits limits;
};
struct GlobalType {
  ValType type = ValType::kI32;
  bool mutable_ = false;
};

// A reference value. 0 is null. A funcref holds a runtime function object's address; an
// externref holds whatever non-zero word the embedder chose (null is 0).
using RefWord = std::uintptr_t;

// A boxed value for the API (arguments, results, globals). Inside the interpreter values live in
// untyped 64-bit slots; this is only the typed view at the boundary.
struct Value {
  ValType type = ValType::kI32;
  union {
    std::uint32_t i32;
    std::uint64_t i64;
    float f32;
    double f64;
    RefWord ref;
    std::uint8_t v128[16];
  } of{};

  static Value i32(std::uint32_t v) noexcept { Value x; x.type = ValType::kI32; x.of.i32 = v; return x; }
  static Value i64(std::uint64_t v) noexcept { Value x; x.type = ValType::kI64; x.of.i64 = v; return x; }
  static Value f32(float v) noexcept { Value x; x.type = ValType::kF32; x.of.f32 = v; return x; }
  static Value f64(double v) noexcept { Value x; x.type = ValType::kF64; x.of.f64 = v; return x; }
  static Value f32_bits(std::uint32_t b) noexcept { Value x; x.type = ValType::kF32; std::memcpy(&x.of.f32, &b, 4); return x; }
  static Value f64_bits(std::uint64_t b) noexcept { Value x; x.type = ValType::kF64; std::memcpy(&x.of.f64, &b, 8); return x; }
  static Value funcref(RefWord r) noexcept { Value x; x.type = ValType::kFuncRef; x.of.ref = r; return x; }
  static Value externref(RefWord r) noexcept { Value x; x.type = ValType::kExternRef; x.of.ref = r; return x; }
  static Value zero(ValType t) noexcept { Value x; x.type = t; return x; }

  std::uint32_t f32_bits() const noexcept { std::uint32_t b; std::memcpy(&b, &of.f32, 4); return b; }
  std::uint64_t f64_bits() const noexcept { std::uint64_t b; std::memcpy(&b, &of.f64, 8); return b; }
};

}  // namespace wasmio
