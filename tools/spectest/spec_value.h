// Values in wast2json scripts: action arguments and expected results, with the suite's
// patterns (nan:canonical, nan:arithmetic, "any non-null reference").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wasmio/types.h"

namespace wasmio::spectest {

struct SpecValue {
  enum class Pattern : std::uint8_t {
    kExact,          // `bits` must match exactly (floats compare bit patterns, NaN payloads too)
    kCanonicalNan,   // nan:canonical
    kArithmeticNan,  // nan:arithmetic (quiet bit set, any payload)
    kNonNullRef,     // a reference given without a value: anything but null
    kTypeOnly,       // `expected` of an action or assert_trap: only the type is given
  };

  ValType type = ValType::kI32;
  Pattern pattern = Pattern::kExact;
  // i32/f32: the low 32 bits; i64/f64: all 64; references: the RefWord (0 = null).
  std::uint64_t bits = 0;
};

// The host word an externref `ref.extern N` of the scripts maps to. 0 is null, so N maps to N+1.
constexpr RefWord externref_word(std::uint64_t n) noexcept {
  return static_cast<RefWord>(n + 1);
}

// Parses a wast2json value object's parts: `type` ("i32", "f64", "externref", ...) and `value`
// (absent when `has_value` is false). Returns nullopt with `error` set when malformed or
// unsupported (v128: this engine has no SIMD).
std::optional<SpecValue> parse_spec_value(std::string_view type, bool has_value,
                                          std::string_view value, std::string* error);

// The engine value for an argument (pattern must be kExact).
Value to_argument(const SpecValue& value) noexcept;

// Does an actual result satisfy the expectation?
bool matches(const SpecValue& expected, const Value& actual) noexcept;

// "i32:42", "f32:0x3fc00000 (1.5)", "externref:ref.extern 3", "funcref:null", ...
std::string describe(const SpecValue& value);
std::string describe(const Value& value);

// The trap/rejection text rule of the runner: one message is a prefix of the other (the suite
// sometimes appends detail such as "uninitialized element 2"). An empty actual text never matches.
bool texts_match(std::string_view actual, std::string_view expected) noexcept;

}  // namespace wasmio::spectest
