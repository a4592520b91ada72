// Internal: the Wasm semantics of the numeric operations and stores, one X-macro table per
// operation shape. The interpreter turns each entry into a handler (exec/interpreter.cpp) and the
// AOT emitter emits each entry's expression as C++ source (aot/emit.cpp), so both tiers compute
// every operation from the same text. In an expression `a` and `b` are the operands (unsigned
// slot values of the operation's width, floats for float shapes); the helpers are in
// interpreter_numeric.h. CONVERT/TRUNCATE entries name how the operand is read (S32, U32, S64,
// SLOT, F32, F64), TRUNCATE its range check; STORE entries the stored type.
#pragma once

#define WASMIO_I32_UNARY_OPS(X) \
  X(i32_eqz, a == 0) \
  X(i32_clz, std::countl_zero(a)) \
  X(i32_ctz, std::countr_zero(a)) \
  X(i32_popcnt, std::popcount(a))

#define WASMIO_I64_UNARY_OPS(X) \
  X(i64_eqz, a == 0 ? 1u : 0u) \
  X(i64_clz, std::countl_zero(a)) \
  X(i64_ctz, std::countr_zero(a)) \
  X(i64_popcnt, std::popcount(a))

#define WASMIO_I32_BINARY_OPS(X) \
  X(i32_eq, a == b) \
  X(i32_ne, a != b) \
  X(i32_lt_s, static_cast<std::int32_t>(a) < static_cast<std::int32_t>(b)) \
  X(i32_lt_u, a < b) \
  X(i32_gt_s, static_cast<std::int32_t>(a) > static_cast<std::int32_t>(b)) \
  X(i32_gt_u, a > b) \
  X(i32_le_s, static_cast<std::int32_t>(a) <= static_cast<std::int32_t>(b)) \
  X(i32_le_u, a <= b) \
  X(i32_ge_s, static_cast<std::int32_t>(a) >= static_cast<std::int32_t>(b)) \
  X(i32_ge_u, a >= b) \
  X(i32_add, a + b) \
  X(i32_sub, a - b) \
  X(i32_mul, a * b) \
  X(i32_and, a & b) \
  X(i32_or, a | b) \
  X(i32_xor, a ^ b) \
  X(i32_shl, a << (b & 31)) \
  X(i32_shr_s, static_cast<std::int32_t>(a) >> (b & 31)) \
  X(i32_shr_u, a >> (b & 31)) \
  X(i32_rotl, std::rotl(a, static_cast<int>(b & 31))) \
  X(i32_rotr, std::rotr(a, static_cast<int>(b & 31)))

#define WASMIO_I64_BINARY_OPS(X) \
  X(i64_eq, a == b ? 1u : 0u) \
  X(i64_ne, a != b ? 1u : 0u) \
  X(i64_lt_s, static_cast<std::int64_t>(a) < static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_lt_u, a < b ? 1u : 0u) \
  X(i64_gt_s, static_cast<std::int64_t>(a) > static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_gt_u, a > b ? 1u : 0u) \
  X(i64_le_s, static_cast<std::int64_t>(a) <= static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_le_u, a <= b ? 1u : 0u) \
  X(i64_ge_s, static_cast<std::int64_t>(a) >= static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_ge_u, a >= b ? 1u : 0u) \
  X(i64_add, a + b) \
  X(i64_sub, a - b) \
  X(i64_mul, a * b) \
  X(i64_and, a & b) \
  X(i64_or, a | b) \
  X(i64_xor, a ^ b) \
  X(i64_shl, shl64(a, b)) \
  X(i64_shr_s, shr64_s(a, b)) \
  X(i64_shr_u, shr64_u(a, b)) \
  X(i64_rotl, rotl64(a, b)) \
  X(i64_rotr, rotr64(a, b))

#define WASMIO_I32_BINARY_IMM_OPS(X) \
  X(i32_add_imm, a + b) \
  X(i32_mul_imm, a * b) \
  X(i32_and_imm, a & b) \
  X(i32_or_imm, a | b) \
  X(i32_xor_imm, a ^ b) \
  X(i32_shl_imm, a << (b & 31)) \
  X(i32_shr_s_imm, static_cast<std::int32_t>(a) >> (b & 31)) \
  X(i32_shr_u_imm, a >> (b & 31)) \
  X(i32_rotl_imm, std::rotl(a, static_cast<int>(b & 31))) \
  X(i32_rotr_imm, std::rotr(a, static_cast<int>(b & 31))) \
  X(i32_eq_imm, a == b) \
  X(i32_ne_imm, a != b) \
  X(i32_lt_s_imm, static_cast<std::int32_t>(a) < static_cast<std::int32_t>(b)) \
  X(i32_lt_u_imm, a < b) \
  X(i32_gt_s_imm, static_cast<std::int32_t>(a) > static_cast<std::int32_t>(b)) \
  X(i32_gt_u_imm, a > b) \
  X(i32_le_s_imm, static_cast<std::int32_t>(a) <= static_cast<std::int32_t>(b)) \
  X(i32_le_u_imm, a <= b) \
  X(i32_ge_s_imm, static_cast<std::int32_t>(a) >= static_cast<std::int32_t>(b)) \
  X(i32_ge_u_imm, a >= b)

#define WASMIO_I64_BINARY_IMM_OPS(X) \
  X(i64_add_imm, a + b) \
  X(i64_mul_imm, a * b) \
  X(i64_and_imm, a & b) \
  X(i64_or_imm, a | b) \
  X(i64_xor_imm, a ^ b) \
  X(i64_shl_imm, shl64(a, b)) \
  X(i64_shr_s_imm, shr64_s(a, b)) \
  X(i64_shr_u_imm, shr64_u(a, b)) \
  X(i64_rotl_imm, rotl64(a, b)) \
  X(i64_rotr_imm, rotr64(a, b)) \
  X(i64_eq_imm, a == b ? 1u : 0u) \
  X(i64_ne_imm, a != b ? 1u : 0u) \
  X(i64_lt_s_imm, static_cast<std::int64_t>(a) < static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_lt_u_imm, a < b ? 1u : 0u) \
  X(i64_gt_s_imm, static_cast<std::int64_t>(a) > static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_gt_u_imm, a > b ? 1u : 0u) \
  X(i64_le_s_imm, static_cast<std::int64_t>(a) <= static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_le_u_imm, a <= b ? 1u : 0u) \
  X(i64_ge_s_imm, static_cast<std::int64_t>(a) >= static_cast<std::int64_t>(b) ? 1u : 0u) \
  X(i64_ge_u_imm, a >= b ? 1u : 0u)

#define WASMIO_F32_UNARY_OPS(X) \
  X(f32_ceil, wasm_ceil(a)) \
  X(f32_floor, wasm_floor(a)) \
  X(f32_trunc, wasm_trunc(a)) \
  X(f32_nearest, wasm_nearest(a)) \
  X(f32_sqrt, std::sqrt(a))

#define WASMIO_F64_UNARY_OPS(X) \
  X(f64_ceil, wasm_ceil(a)) \
  X(f64_floor, wasm_floor(a)) \
  X(f64_trunc, wasm_trunc(a)) \
  X(f64_nearest, wasm_nearest(a)) \
  X(f64_sqrt, std::sqrt(a))

#define WASMIO_F32_BINARY_OPS(X) \
  X(f32_add, a + b) \
  X(f32_sub, a - b) \
  X(f32_mul, a * b) \
  X(f32_div, a / b) \
  X(f32_min, (wasm_min<float, std::uint32_t>(a, b))) \
  X(f32_max, (wasm_max<float, std::uint32_t>(a, b)))

#define WASMIO_F64_BINARY_OPS(X) \
  X(f64_add, a + b) \
  X(f64_sub, a - b) \
  X(f64_mul, a * b) \
  X(f64_div, a / b) \
  X(f64_min, (wasm_min<double, std::uint64_t>(a, b))) \
  X(f64_max, (wasm_max<double, std::uint64_t>(a, b)))

#define WASMIO_F32_COMPARE_OPS(X) \
  X(f32_eq, a == b) \
  X(f32_ne, a != b) \
  X(f32_lt, a < b) \
  X(f32_gt, a > b) \
  X(f32_le, a <= b) \
  X(f32_ge, a >= b)

#define WASMIO_F64_COMPARE_OPS(X) \
  X(f64_eq, a == b) \
  X(f64_ne, a != b) \
  X(f64_lt, a < b) \
  X(f64_gt, a > b) \
  X(f64_le, a <= b) \
  X(f64_ge, a >= b)

// opaque() in demote/promote: GCC folds demote(promote(x)) to x even under -fsignaling-nans, which
// keeps a signalling NaN signalling; Wasm's conversions return it quieted (float_exprs.wast).
#define WASMIO_CONVERT_OPS(X) \
  X(i32_wrap_i64, SLOT, a & 0xFFFFFFFFu) \
  X(i64_extend_i32_s, S32, static_cast<std::uint64_t>(static_cast<std::int64_t>(a))) \
  X(i64_extend_i32_u, U32, static_cast<std::uint64_t>(a)) \
  X(f32_convert_i32_s, S32, slot_of(static_cast<float>(a))) \
  X(f32_convert_i32_u, U32, slot_of(static_cast<float>(a))) \
  X(f32_convert_i64_s, S64, slot_of(static_cast<float>(a))) \
  X(f32_convert_i64_u, SLOT, slot_of(static_cast<float>(a))) \
  X(f32_demote_f64, F64, slot_of(opaque(static_cast<float>(a)))) \
  X(f64_convert_i32_s, S32, slot_of(static_cast<double>(a))) \
  X(f64_convert_i32_u, U32, slot_of(static_cast<double>(a))) \
  X(f64_convert_i64_s, S64, slot_of(static_cast<double>(a))) \
  X(f64_convert_i64_u, SLOT, slot_of(static_cast<double>(a))) \
  X(f64_promote_f32, F32, slot_of(opaque(static_cast<double>(a)))) \
  X(i32_reinterpret_f32, SLOT, a & 0xFFFFFFFFu) \
  X(i64_reinterpret_f64, SLOT, a) \
  X(f32_reinterpret_i32, SLOT, a & 0xFFFFFFFFu) \
  X(f64_reinterpret_i64, SLOT, a) \
  X(i32_extend8_s, U32, static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int8_t>(a)))) \
  X(i32_extend16_s, U32, static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int16_t>(a)))) \
  X(i64_extend8_s, SLOT, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int8_t>(a)))) \
  X(i64_extend16_s, SLOT, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int16_t>(a)))) \
  X(i64_extend32_s, SLOT, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(a)))) \
  X(i32_trunc_sat_f32_s, F32, sat_i32(a)) \
  X(i32_trunc_sat_f32_u, F32, sat_u32(a)) \
  X(i32_trunc_sat_f64_s, F64, sat_i32(a)) \
  X(i32_trunc_sat_f64_u, F64, sat_u32(a)) \
  X(i64_trunc_sat_f32_s, F32, sat_i64(a)) \
  X(i64_trunc_sat_f32_u, F32, sat_u64(a)) \
  X(i64_trunc_sat_f64_s, F64, sat_i64(a)) \
  X(i64_trunc_sat_f64_u, F64, sat_u64(a))

#define WASMIO_TRUNCATE_OPS(X) \
  X(i32_trunc_f32_s, F32, fits_i32<float>, static_cast<std::uint32_t>(static_cast<std::int32_t>(a))) \
  X(i32_trunc_f32_u, F32, fits_u32<float>, static_cast<std::uint32_t>(a)) \
  X(i32_trunc_f64_s, F64, fits_i32<double>, static_cast<std::uint32_t>(static_cast<std::int32_t>(a))) \
  X(i32_trunc_f64_u, F64, fits_u32<double>, static_cast<std::uint32_t>(a)) \
  X(i64_trunc_f32_s, F32, fits_i64<float>, static_cast<std::uint64_t>(static_cast<std::int64_t>(a))) \
  X(i64_trunc_f32_u, F32, fits_u64<float>, static_cast<std::uint64_t>(a)) \
  X(i64_trunc_f64_s, F64, fits_i64<double>, static_cast<std::uint64_t>(static_cast<std::int64_t>(a))) \
  X(i64_trunc_f64_u, F64, fits_u64<double>, static_cast<std::uint64_t>(a))

#define WASMIO_STORE_OPS(X) \
  X(i32_store, std::uint32_t) \
  X(i64_store, std::uint64_t) \
  X(f32_store, std::uint32_t) \
  X(f64_store, std::uint64_t) \
  X(i32_store8, std::uint8_t) \
  X(i32_store16, std::uint16_t) \
  X(i64_store8, std::uint8_t) \
  X(i64_store16, std::uint16_t) \
  X(i64_store32, std::uint32_t)
