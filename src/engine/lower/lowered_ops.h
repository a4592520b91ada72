// Internal: the operations of lowered code.
//
// A plain Wasm instruction that survives lowering runs as the operation of the same name (the
// enumerators below come straight from the opcode table, so `i32_add` is both the instruction
// and its handler). Instructions that lowering folds away (block, loop, end, local.get, drop,
// ...) keep an enumerator but are never emitted. Internal operations (copies, immediate forms,
// fused compare-and-branch, safe points, direct calls) have their own small table here.
//
// Operand layouts (every operand is one 32-bit word; i64/f64 immediates take two, low first;
// `off` is a branch offset in words relative to the start of the operation):
//   plain unary/binary     dst, src...             loads   dst, addr, offset
//   stores                 addr, value, offset     *_const dst, imm (one or two words)
//   br off; br_if cond, off; br_table cond, count, off[count + 1]
//   call funcidx, argbase; call_indirect typeidx, tableidx, elem, argbase; return_ (no operands)
#pragma once

#include <cstdint>

#include "common/opcode_table.h"

namespace wasmio::detail {

// X(ident, words)  words = operation length including the handler word
#define WASMIO_INTERNAL_OPS(X)                                                          \
  X(copy, 3)               /* dst, src */                                             \
  X(copy2, 5)              /* dst, src, dst2, src2: two copies in order */            \
  X(safe_point, 2)         /* fuel charge for the region that starts here */          \
  X(call_internal, 3)      /* lowered function index in this module, argbase */       \
  X(return_1, 2)           /* src: copy the single result to slot 0, then return */   \
  X(br_if_eqz, 3)          /* cond, off: branch when cond == 0 */                     \
  X(br_if_i32_eq, 4)       /* a, b, off: branch when a == b */                        \
  X(br_if_i32_ne, 4)                                                                  \
  X(br_if_i32_lt_s, 4)                                                                \
  X(br_if_i32_lt_u, 4)                                                                \
  X(br_if_i32_gt_s, 4)                                                                \
  X(br_if_i32_gt_u, 4)                                                                \
  X(br_if_i32_le_s, 4)                                                                \
  X(br_if_i32_le_u, 4)                                                                \
  X(br_if_i32_ge_s, 4)                                                                \
  X(br_if_i32_ge_u, 4)                                                                \
  X(br_if_i32_eq_imm, 4)   /* a, imm, off */                                          \
  X(br_if_i32_ne_imm, 4)                                                              \
  X(br_if_i32_lt_s_imm, 4)                                                            \
  X(br_if_i32_lt_u_imm, 4)                                                            \
  X(br_if_i32_gt_s_imm, 4)                                                            \
  X(br_if_i32_gt_u_imm, 4)                                                            \
  X(br_if_i32_le_s_imm, 4)                                                            \
  X(br_if_i32_le_u_imm, 4)                                                            \
  X(br_if_i32_ge_s_imm, 4)                                                            \
  X(br_if_i32_ge_u_imm, 4)                                                            \
  X(br_loop, 2)            /* off: backward branch to a loop body; charges its region */ \
  X(br_if_loop, 3)                                                                    \
  X(br_if_eqz_loop, 3)                                                                \
  X(br_if_i32_eq_loop, 4)                                   \
  X(br_if_i32_ne_loop, 4)                                   \
  X(br_if_i32_lt_s_loop, 4)                                 \
  X(br_if_i32_lt_u_loop, 4)                                 \
  X(br_if_i32_gt_s_loop, 4)                                 \
  X(br_if_i32_gt_u_loop, 4)                                 \
  X(br_if_i32_le_s_loop, 4)                                 \
  X(br_if_i32_le_u_loop, 4)                                 \
  X(br_if_i32_ge_s_loop, 4)                                 \
  X(br_if_i32_ge_u_loop, 4)                                 \
  X(br_if_i32_eq_imm_loop, 4)                               \
  X(br_if_i32_ne_imm_loop, 4)                               \
  X(br_if_i32_lt_s_imm_loop, 4)                             \
  X(br_if_i32_lt_u_imm_loop, 4)                             \
  X(br_if_i32_gt_s_imm_loop, 4)                             \
  X(br_if_i32_gt_u_imm_loop, 4)                             \
  X(br_if_i32_le_s_imm_loop, 4)                             \
  X(br_if_i32_le_u_imm_loop, 4)                             \
  X(br_if_i32_ge_s_imm_loop, 4)                             \
  X(br_if_i32_ge_u_imm_loop, 4)                             \
  X(i32_add_imm, 4)        /* dst, a, imm */                                          \
  X(i32_mul_imm, 4)                                                                   \
  X(i32_and_imm, 4)                                                                   \
  X(i32_or_imm, 4)                                                                    \
  X(i32_xor_imm, 4)                                                                   \
  X(i32_shl_imm, 4)                                                                   \
  X(i32_shr_s_imm, 4)                                                                 \
  X(i32_shr_u_imm, 4)                                                                 \
  X(i32_rotl_imm, 4)                                                                  \
  X(i32_rotr_imm, 4)                                                                  \
  X(i32_eq_imm, 4)                                                                    \
  X(i32_ne_imm, 4)                                                                    \
  X(i32_lt_s_imm, 4)                                                                  \
  X(i32_lt_u_imm, 4)                                                                  \
  X(i32_gt_s_imm, 4)                                                                  \
  X(i32_gt_u_imm, 4)                                                                  \
  X(i32_le_s_imm, 4)                                                                  \
  X(i32_le_u_imm, 4)                                                                  \
  X(i32_ge_s_imm, 4)                                                                  \
  X(i32_ge_u_imm, 4)                                                                  \
  X(i64_add_imm, 5)        /* dst, a, imm lo, imm hi */                               \
  X(i64_mul_imm, 5)                                                                   \
  X(i64_and_imm, 5)                                                                   \
  X(i64_or_imm, 5)                                                                    \
  X(i64_xor_imm, 5)                                                                   \
  X(i64_shl_imm, 5)                                                                   \
  X(i64_shr_s_imm, 5)                                                                 \
  X(i64_shr_u_imm, 5)                                                                 \
  X(i64_rotl_imm, 5)                                                                  \
  X(i64_rotr_imm, 5)                                                                  \
  X(i64_eq_imm, 5)                                                                    \
  X(i64_ne_imm, 5)                                                                    \
  X(i64_lt_s_imm, 5)                                                                  \
  X(i64_lt_u_imm, 5)                                                                  \
  X(i64_gt_s_imm, 5)                                                                  \
  X(i64_gt_u_imm, 5)                                                                  \
  X(i64_le_s_imm, 5)                                                                  \
  X(i64_le_u_imm, 5)                                                                  \
  X(i64_ge_s_imm, 5)                                                                  \
  X(i64_ge_u_imm, 5)

enum class LoweredOp : std::uint16_t {
#define WASMIO_X(ident, text, prefix, code, imm, sig, bytes) ident,
  WASMIO_OPCODES(WASMIO_X)
#undef WASMIO_X
#define WASMIO_X(ident, words) ident,
  WASMIO_INTERNAL_OPS(WASMIO_X)
#undef WASMIO_X
  kCount
};

constexpr LoweredOp lowered_op(Opcode op) noexcept { return static_cast<LoweredOp>(op); }

// Handler offsets from the interpreter's dispatch base, indexed by LoweredOp (interpreter.cpp).
const std::int32_t* interpreter_handler_offsets() noexcept;

}  // namespace wasmio::detail
