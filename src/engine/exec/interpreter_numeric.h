// Internal: exact Wasm semantics of the numeric operations that are more than one C++ operator
// (float min/max/nearest, bit views, float->int conversions with their range checks).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace wasmio::detail {

inline float f32_from(std::uint64_t slot) noexcept {
  std::uint32_t b = static_cast<std::uint32_t>(slot);
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
inline double f64_from(std::uint64_t slot) noexcept {
  double d;
  std::memcpy(&d, &slot, 8);
  return d;
}
inline std::uint32_t bits_of(float f) noexcept {
  std::uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline std::uint64_t slot_of(float f) noexcept {
  std::uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline std::uint64_t slot_of(double d) noexcept {
  std::uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}
// A value the C++ compiler must not reason through (it is in memory at this point): keeps it
// from folding a float conversion pair (numeric_ops.h).
template <typename T>
[[gnu::always_inline]] inline T opaque(T v) noexcept {
  asm("" : "+m"(v));
  return v;
}

// 64-bit shifts and rotates: one instruction on a 64-bit host, 40-100 bytes of Thumb-2 per
// inline expansion on a 32-bit core, where size-optimised builds share one out-of-line copy
// between each operation's register and immediate handlers (rotr is rotl by -b).
#if defined(__OPTIMIZE_SIZE__)
#define WASMIO_SHARED_ON_MCU [[gnu::noinline]]
#else
#define WASMIO_SHARED_ON_MCU
#endif
WASMIO_SHARED_ON_MCU inline std::uint64_t shl64(std::uint64_t a, std::uint64_t b) noexcept {
  return a << (b & 63);
}
WASMIO_SHARED_ON_MCU inline std::uint64_t shr64_u(std::uint64_t a, std::uint64_t b) noexcept {
  return a >> (b & 63);
}
WASMIO_SHARED_ON_MCU inline std::uint64_t shr64_s(std::uint64_t a, std::uint64_t b) noexcept {
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(a) >> (b & 63));
}
WASMIO_SHARED_ON_MCU inline std::uint64_t rotl64(std::uint64_t a, std::uint64_t b) noexcept {
  return std::rotl(a, static_cast<int>(b & 63));
}
#if defined(__OPTIMIZE_SIZE__)
inline std::uint64_t rotr64(std::uint64_t a, std::uint64_t b) noexcept { return rotl64(a, 0 - b); }
#else
inline std::uint64_t rotr64(std::uint64_t a, std::uint64_t b) noexcept {
  return std::rotr(a, static_cast<int>(b & 63));
}
#endif

// min/max: a NaN operand gives a NaN (a + b propagates and quiets it, keeping a canonical NaN
// canonical); -0 is smaller than +0.
template <typename F, typename Bits>
inline F wasm_min(F a, F b) noexcept {
  if (a != a || b != b) return a + b;
  if (a == b) {
    Bits x, y;
    std::memcpy(&x, &a, sizeof(F));
    std::memcpy(&y, &b, sizeof(F));
    x |= y;  // either negative zero wins
    std::memcpy(&a, &x, sizeof(F));
    return a;
  }
  return a < b ? a : b;
}
template <typename F, typename Bits>
inline F wasm_max(F a, F b) noexcept {
  if (a != a || b != b) return a + b;
  if (a == b) {
    Bits x, y;
    std::memcpy(&x, &a, sizeof(F));
    std::memcpy(&y, &b, sizeof(F));
    x &= y;  // +0 wins
    std::memcpy(&a, &x, sizeof(F));
    return a;
  }
  return a > b ? a : b;
}

// Round to nearest, ties to even, independent of the current rounding mode: adding and
// subtracting 2^(mantissa bits) rounds in the default mode, which Wasm fixes.
inline float wasm_nearest(float x) noexcept {
  if (!(std::fabs(x) < 8388608.0f)) return x + 0.0f;  // NaN (quieted), inf, already integral
  float r = std::fabs(x) + 8388608.0f - 8388608.0f;
  return std::copysign(r, x);
}
inline double wasm_nearest(double x) noexcept {
  if (!(std::fabs(x) < 4503599627370496.0)) return x + 0.0;
  double r = std::fabs(x) + 4503599627370496.0 - 4503599627370496.0;
  return std::copysign(r, x);
}

// ceil/floor/trunc: the C library may return a signalling NaN unchanged; Wasm wants it quieted.
template <typename F>
inline F wasm_ceil(F x) noexcept { return x != x ? x + x : std::ceil(x); }
template <typename F>
inline F wasm_floor(F x) noexcept { return x != x ? x + x : std::floor(x); }
template <typename F>
inline F wasm_trunc(F x) noexcept { return x != x ? x + x : std::trunc(x); }

// Float -> integer range checks: true when trunc(x) is representable (NaN fails).
template <typename F>
inline bool fits_i32(F x) noexcept {
  return x > static_cast<F>(-2147483649.0) && x < static_cast<F>(2147483648.0);
}
template <>
inline bool fits_i32<float>(float x) noexcept {
  return x >= -2147483648.0f && x < 2147483648.0f;
}
template <typename F>
inline bool fits_u32(F x) noexcept {
  return x > static_cast<F>(-1.0) && x < static_cast<F>(4294967296.0);
}
template <typename F>
inline bool fits_i64(F x) noexcept {
  return x >= static_cast<F>(-9223372036854775808.0) && x < static_cast<F>(9223372036854775808.0);
}
template <typename F>
inline bool fits_u64(F x) noexcept {
  return x > static_cast<F>(-1.0) && x < static_cast<F>(18446744073709551616.0);
}

// Saturating conversions (NaN -> 0).
template <typename F>
inline std::uint32_t sat_i32(F x) noexcept {
  if (x != x) return 0;
  if (!(x > static_cast<F>(-2147483649.0))) return 0x80000000u;
  if (!(x < static_cast<F>(2147483648.0))) return 0x7FFFFFFFu;
  return static_cast<std::uint32_t>(static_cast<std::int32_t>(x));
}
template <typename F>
inline std::uint32_t sat_u32(F x) noexcept {
  if (x != x || !(x > static_cast<F>(-1.0))) return 0;
  if (!(x < static_cast<F>(4294967296.0))) return 0xFFFFFFFFu;
  return static_cast<std::uint32_t>(x);
}
template <typename F>
inline std::uint64_t sat_i64(F x) noexcept {
  if (x != x) return 0;
  if (!(x >= static_cast<F>(-9223372036854775808.0))) return 0x8000000000000000ull;
  if (!(x < static_cast<F>(9223372036854775808.0))) return 0x7FFFFFFFFFFFFFFFull;
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(x));
}
template <typename F>
inline std::uint64_t sat_u64(F x) noexcept {
  if (x != x || !(x > static_cast<F>(-1.0))) return 0;
  if (!(x < static_cast<F>(18446744073709551616.0))) return 0xFFFFFFFFFFFFFFFFull;
  return static_cast<std::uint64_t>(x);
}

}  // namespace wasmio::detail
