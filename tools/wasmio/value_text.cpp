#include "value_text.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace wasmio::cli {
namespace {

// Decimal or 0x hex with an optional sign, into [-2^(bits-1), 2^bits - 1] as a bit pattern.
std::optional<std::uint64_t> parse_integer(std::string_view text, unsigned bits) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  std::uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  const std::uint64_t unsigned_max =
      bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  const std::uint64_t negative_max = std::uint64_t{1} << (bits - 1);
  if (negative) {
    if (magnitude > negative_max) return std::nullopt;
    return (~magnitude + 1) & unsigned_max;
  }
  if (magnitude > unsigned_max) return std::nullopt;
  return magnitude;
}

// "nan:0x..." with a payload for the mantissa (must be non-zero and fit).
std::optional<std::uint64_t> parse_nan_payload(std::string_view text, unsigned mantissa_bits,
                                               bool* negative) {
  *negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    *negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (!text.starts_with("nan:0x")) return std::nullopt;
  text.remove_prefix(6);
  std::uint64_t payload = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), payload, 16);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (payload == 0 || payload >> mantissa_bits != 0) return std::nullopt;
  return payload;
}

template <typename Float>
std::optional<Float> parse_float(std::string_view text) {
  std::string s(text);  // strtod needs a terminated string
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  Float v;
  if constexpr (sizeof(Float) == 4) {
    v = std::strtof(s.c_str(), &end);
  } else {
    v = std::strtod(s.c_str(), &end);
  }
  if (end != s.c_str() + s.size()) return std::nullopt;
  // Overflow to infinity is an error; underflow to a denormal or zero is a legitimate rounding.
  if (errno == ERANGE && std::isinf(v)) return std::nullopt;
  return v;
}

// A NaN as [-]nan (canonical payload) or [-]nan:0xPAYLOAD, the text format's spelling.
std::string format_nan(const char* type, std::uint64_t bits, unsigned mantissa_bits,
                       bool negative) {
  const std::uint64_t payload = bits & ((std::uint64_t{1} << mantissa_bits) - 1);
  const std::uint64_t canonical = std::uint64_t{1} << (mantissa_bits - 1);
  if (payload == canonical) return fmt::format("{}:{}nan", type, negative ? "-" : "");
  return fmt::format("{}:{}nan:0x{:x}", type, negative ? "-" : "", payload);
}

}  // namespace

std::optional<Value> parse_value(ValType type, std::string_view text, std::string* error) {
  auto fail = [&](const char* what) -> std::optional<Value> {
    *error = fmt::format("'{}' is not {}", text, what);
    return std::nullopt;
  };
  switch (type) {
    case ValType::kI32: {
      auto v = parse_integer(text, 32);
      if (!v) return fail("an i32 (decimal or 0x hex, -2^31 .. 2^32-1)");
      return Value::i32(static_cast<std::uint32_t>(*v));
    }
    case ValType::kI64: {
      auto v = parse_integer(text, 64);
      if (!v) return fail("an i64 (decimal or 0x hex, -2^63 .. 2^64-1)");
      return Value::i64(*v);
    }
    case ValType::kF32: {
      bool negative = false;
      if (auto payload = parse_nan_payload(text, 23, &negative)) {
        return Value::f32_bits((negative ? 0x80000000u : 0u) | 0x7F800000u |
                               static_cast<std::uint32_t>(*payload));
      }
      auto v = parse_float<float>(text);
      if (!v) return fail("an f32");
      return Value::f32(*v);
    }
    case ValType::kF64: {
      bool negative = false;
      if (auto payload = parse_nan_payload(text, 52, &negative)) {
        return Value::f64_bits((negative ? 0x8000000000000000ull : 0ull) | 0x7FF0000000000000ull |
                               *payload);
      }
      auto v = parse_float<double>(text);
      if (!v) return fail("an f64");
      return Value::f64(*v);
    }
    case ValType::kFuncRef:
      if (text == "null") return Value::funcref(0);
      return fail("a funcref (only null can be given)");
    case ValType::kExternRef: {
      if (text == "null") return Value::externref(0);
      auto v = parse_integer(text, sizeof(RefWord) * 8);
      if (!v || *v == 0) return fail("an externref (null or a non-zero host word)");
      return Value::externref(static_cast<RefWord>(*v));
    }
    case ValType::kV128:
      break;
  }
  *error = fmt::format("parameters of type {} are not supported", valtype_name(type));
  return std::nullopt;
}

std::string format_value(const Value& value) {
  switch (value.type) {
    case ValType::kI32:
      return fmt::format("i32:{}", static_cast<std::int32_t>(value.of.i32));
    case ValType::kI64:
      return fmt::format("i64:{}", static_cast<std::int64_t>(value.of.i64));
    case ValType::kF32: {
      const std::uint32_t bits = value.f32_bits();
      if (std::isnan(value.of.f32)) return format_nan("f32", bits, 23, (bits >> 31) != 0);
      return fmt::format("f32:{}", value.of.f32);
    }
    case ValType::kF64: {
      const std::uint64_t bits = value.f64_bits();
      if (std::isnan(value.of.f64)) return format_nan("f64", bits, 52, (bits >> 63) != 0);
      return fmt::format("f64:{}", value.of.f64);
    }
    case ValType::kFuncRef:
      // A function object's address means nothing to the user.
      return value.of.ref == 0 ? "funcref:null" : "funcref:non-null";
    case ValType::kExternRef:
      return value.of.ref == 0 ? "externref:null" : fmt::format("externref:{}", value.of.ref);
    case ValType::kV128:
      break;
  }
  return fmt::format("{}:?", valtype_name(value.type));
}

}  // namespace wasmio::cli
