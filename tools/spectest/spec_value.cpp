#include "spec_value.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

namespace wasmio::spectest {
namespace {

std::optional<ValType> parse_type(std::string_view type) {
  if (type == "i32") return ValType::kI32;
  if (type == "i64") return ValType::kI64;
  if (type == "f32") return ValType::kF32;
  if (type == "f64") return ValType::kF64;
  if (type == "funcref") return ValType::kFuncRef;
  if (type == "externref") return ValType::kExternRef;
  if (type == "v128") return ValType::kV128;
  return std::nullopt;
}

// wast2json writes numbers as the unsigned decimal of their bit pattern.
std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v, 10);
  if (text.empty() || ec != std::errc() || ptr != end || v > max) return std::nullopt;
  return v;
}

std::string describe_bits(ValType type, std::uint64_t bits) {
  switch (type) {
    case ValType::kI32: {
      auto u = static_cast<std::uint32_t>(bits);
      return fmt::format("i32:{} (0x{:x})", static_cast<std::int32_t>(u), u);
    }
    case ValType::kI64:
      return fmt::format("i64:{} (0x{:x})", static_cast<std::int64_t>(bits), bits);
    case ValType::kF32: {
      auto u = static_cast<std::uint32_t>(bits);
      float f;
      std::memcpy(&f, &u, 4);
      return fmt::format("f32:0x{:08x} ({})", u, f);
    }
    case ValType::kF64: {
      double d;
      std::memcpy(&d, &bits, 8);
      return fmt::format("f64:0x{:016x} ({})", bits, d);
    }
    case ValType::kExternRef:
      if (bits == 0) return "externref:null";
      return fmt::format("externref:ref.extern {}", bits - 1);
    case ValType::kFuncRef:
      if (bits == 0) return "funcref:null";
      return "funcref:non-null";
    case ValType::kV128:
      return "v128";
  }
  return "?";
}

}  // namespace

std::optional<SpecValue> parse_spec_value(std::string_view type, bool has_value,
                                          std::string_view value, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<SpecValue> {
    if (error != nullptr) *error = std::move(message);
    return std::nullopt;
  };
  auto t = parse_type(type);
  if (!t) return fail(fmt::format("unknown value type '{}'", type));
  if (*t == ValType::kV128) return fail("v128 values need SIMD, which this engine does not have");

  SpecValue v;
  v.type = *t;
  if (!has_value) {
    v.pattern = is_reftype(*t) ? SpecValue::Pattern::kNonNullRef : SpecValue::Pattern::kTypeOnly;
    return v;
  }
  if (is_reftype(*t)) {
    if (value == "null") return v;  // bits 0
    if (*t == ValType::kFuncRef) {
      // A function reference cannot be named from a script; wast2json never writes one.
      return fail(fmt::format("funcref value '{}' cannot be represented", value));
    }
    auto n = parse_unsigned(value, 0xFFFFFFFFu);
    if (!n) return fail(fmt::format("bad externref value '{}'", value));
    v.bits = externref_word(*n);
    return v;
  }
  if (*t == ValType::kF32 || *t == ValType::kF64) {
    if (value == "nan:canonical") {
      v.pattern = SpecValue::Pattern::kCanonicalNan;
      return v;
    }
    if (value == "nan:arithmetic") {
      v.pattern = SpecValue::Pattern::kArithmeticNan;
      return v;
    }
  }
  const bool wide = *t == ValType::kI64 || *t == ValType::kF64;
  auto n = parse_unsigned(value, wide ? ~std::uint64_t{0} : 0xFFFFFFFFu);
  if (!n) return fail(fmt::format("bad {} value '{}'", type, value));
  v.bits = *n;
  return v;
}

Value to_argument(const SpecValue& value) noexcept {
  switch (value.type) {
    case ValType::kI32:
      return Value::i32(static_cast<std::uint32_t>(value.bits));
    case ValType::kI64:
      return Value::i64(value.bits);
    case ValType::kF32:
      return Value::f32_bits(static_cast<std::uint32_t>(value.bits));
    case ValType::kF64:
      return Value::f64_bits(value.bits);
    case ValType::kFuncRef:
      return Value::funcref(static_cast<RefWord>(value.bits));
    case ValType::kExternRef:
      return Value::externref(static_cast<RefWord>(value.bits));
    case ValType::kV128:
      break;
  }
  return Value::zero(value.type);
}

bool matches(const SpecValue& expected, const Value& actual) noexcept {
  if (expected.type != actual.type) return false;
  using P = SpecValue::Pattern;
  switch (expected.pattern) {
    case P::kTypeOnly:
      return true;
    case P::kNonNullRef:
      return actual.of.ref != 0;
    case P::kCanonicalNan:
      if (actual.type == ValType::kF32) return (actual.f32_bits() & 0x7FFFFFFFu) == 0x7FC00000u;
      return (actual.f64_bits() & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
    case P::kArithmeticNan:
      if (actual.type == ValType::kF32) return (actual.f32_bits() & 0x7FC00000u) == 0x7FC00000u;
      return (actual.f64_bits() & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
    case P::kExact:
      break;
  }
  switch (actual.type) {
    case ValType::kI32:
      return actual.of.i32 == static_cast<std::uint32_t>(expected.bits);
    case ValType::kI64:
      return actual.of.i64 == expected.bits;
    case ValType::kF32:
      return actual.f32_bits() == static_cast<std::uint32_t>(expected.bits);
    case ValType::kF64:
      return actual.f64_bits() == expected.bits;
    case ValType::kFuncRef:
    case ValType::kExternRef:
      return actual.of.ref == static_cast<RefWord>(expected.bits);
    case ValType::kV128:
      return false;
  }
  return false;
}

std::string describe(const SpecValue& value) {
  using P = SpecValue::Pattern;
  switch (value.pattern) {
    case P::kTypeOnly:
      return valtype_name(value.type);
    case P::kNonNullRef:
      return fmt::format("{}:non-null", valtype_name(value.type));
    case P::kCanonicalNan:
      return fmt::format("{}:nan:canonical", valtype_name(value.type));
    case P::kArithmeticNan:
      return fmt::format("{}:nan:arithmetic", valtype_name(value.type));
    case P::kExact:
      break;
  }
  return describe_bits(value.type, value.bits);
}

std::string describe(const Value& value) {
  switch (value.type) {
    case ValType::kI32:
      return describe_bits(value.type, value.of.i32);
    case ValType::kI64:
      return describe_bits(value.type, value.of.i64);
    case ValType::kF32:
      return describe_bits(value.type, value.f32_bits());
    case ValType::kF64:
      return describe_bits(value.type, value.f64_bits());
    case ValType::kFuncRef:
    case ValType::kExternRef:
      return describe_bits(value.type, value.of.ref);
    case ValType::kV128:
      return "v128";
  }
  return fmt::format("<value of unknown type 0x{:02x}>", static_cast<unsigned>(value.type));
}

bool texts_match(std::string_view actual, std::string_view expected) noexcept {
  if (actual.empty()) return false;
  return actual.starts_with(expected) || expected.starts_with(actual);
}

}  // namespace wasmio::spectest
