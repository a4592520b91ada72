// The interpreter on hand-written modules: arithmetic edge cases, calls, multi-value, br_table,
// and the lowering's folding of local.get/constants (aliases must see the value of the local at
// the time of the local.get, not a later one).
#include <cmath>
#include <cstring>

#include "exec_test_support.h"

namespace wasmio {
namespace {

using exec_test::call_ok;
using exec_test::call_trap;
using exec_test::load;

TEST(ExecInterpreter, IntegerEdgeCases) {
  auto m = load(R"((module
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
    (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
    (func (export "shr_s_imm") (param i32) (result i32) (i32.shr_s (local.get 0) (i32.const 33)))
    (func (export "rotl64") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
    (func (export "sub_imm") (param i32) (result i32) (i32.sub (local.get 0) (i32.const -5)))
    (func (export "sub_imm64") (param i64) (result i64) (i64.sub (local.get 0) (i64.const 0x100000000)))
    (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
    (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0))))
  )");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, m.function("div_s"), {Value::i32(-7), Value::i32(2)}), static_cast<std::uint32_t>(-3));
  EXPECT_EQ(call_trap(ex, m.function("div_s"), {Value::i32(1), Value::i32(0)}), ErrorCode::kIntegerDivideByZero);
  EXPECT_EQ(call_trap(ex, m.function("div_s"), {Value::i32(0x80000000u), Value::i32(-1)}),
            ErrorCode::kIntegerOverflow);
  EXPECT_EQ(call_ok(ex, m.function("rem_s"), {Value::i32(0x80000000u), Value::i32(-1)}), 0u);
  EXPECT_EQ(call_ok(ex, m.function("rem_s"), {Value::i32(-7), Value::i32(2)}), static_cast<std::uint32_t>(-1));
  EXPECT_EQ(call_trap(ex, m.function("div_u64"), {Value::i64(1), Value::i64(0)}), ErrorCode::kIntegerDivideByZero);
  EXPECT_EQ(call_ok(ex, m.function("shl"), {Value::i32(1), Value::i32(33)}), 2u);
  EXPECT_EQ(call_ok(ex, m.function("shr_s_imm"), {Value::i32(0x80000000u)}), 0xC0000000u);
  EXPECT_EQ(call_ok(ex, m.function("rotl64"), {Value::i64(0x8000000000000001ull), Value::i64(65)}), 3u);
  EXPECT_EQ(call_ok(ex, m.function("sub_imm"), {Value::i32(1)}), 6u);
  EXPECT_EQ(call_ok(ex, m.function("sub_imm64"), {Value::i64(0x100000005ull)}), 5u);
  EXPECT_EQ(call_ok(ex, m.function("clz"), {Value::i32(0)}), 32u);
  EXPECT_EQ(call_ok(ex, m.function("ext8"), {Value::i32(0x80)}), 0xFFFFFF80u);
}

TEST(ExecInterpreter, FloatEdgeCases) {
  auto m = load(R"((module
    (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "max64") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
    (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
    (func (export "trunc_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
    (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
    (func (export "sat_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
    (func (export "convert_u64") (param i64) (result f32) (f32.convert_i64_u (local.get 0))))
  )");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  auto bits32 = [](float f) { std::uint32_t b; std::memcpy(&b, &f, 4); return b; };
  EXPECT_EQ(call_ok(ex, m.function("min"), {Value::f32(0.0f), Value::f32(-0.0f)}), bits32(-0.0f));
  EXPECT_EQ(call_ok(ex, m.function("min"), {Value::f32(-0.0f), Value::f32(0.0f)}), bits32(-0.0f));
  // A NaN operand gives a quiet NaN.
  std::uint32_t nan = static_cast<std::uint32_t>(call_ok(ex, m.function("min"), {Value::f32_bits(0x7FA00000u), Value::f32(1.0f)}));
  EXPECT_EQ(nan & 0x7FC00000u, 0x7FC00000u);
  double zero = 0.0;
  double neg_zero = -0.0;
  std::uint64_t zero_bits;
  std::memcpy(&zero_bits, &zero, 8);
  EXPECT_EQ(call_ok(ex, m.function("max64"), {Value::f64(neg_zero), Value::f64(zero)}), zero_bits);
  EXPECT_EQ(call_ok(ex, m.function("nearest"), {Value::f32(2.5f)}), bits32(2.0f));
  EXPECT_EQ(call_ok(ex, m.function("nearest"), {Value::f32(-3.5f)}), bits32(-4.0f));
  EXPECT_EQ(call_ok(ex, m.function("nearest"), {Value::f32(-0.25f)}), bits32(-0.0f));
  EXPECT_EQ(call_ok(ex, m.function("trunc_s"), {Value::f32(-2147483648.0f)}), 0x80000000u);
  EXPECT_EQ(call_trap(ex, m.function("trunc_s"), {Value::f32(2147483648.0f)}), ErrorCode::kIntegerOverflow);
  EXPECT_EQ(call_trap(ex, m.function("trunc_s"), {Value::f32(std::nanf(""))}),
            ErrorCode::kInvalidConversionToInteger);
  EXPECT_EQ(call_ok(ex, m.function("trunc_u64"), {Value::f64(-0.9)}), 0u);
  EXPECT_EQ(call_trap(ex, m.function("trunc_u64"), {Value::f64(-1.0)}), ErrorCode::kIntegerOverflow);
  EXPECT_EQ(call_ok(ex, m.function("sat_s"), {Value::f64(1e300)}), 0x7FFFFFFFu);
  EXPECT_EQ(call_ok(ex, m.function("sat_s"), {Value::f64(-1e300)}), 0x80000000u);
  EXPECT_EQ(call_ok(ex, m.function("sat_s"), {Value::f64(std::nan(""))}), 0u);
  // 2^64 - 1 rounds to 2^64 in f32 (correct rounding, not truncation).
  EXPECT_EQ(call_ok(ex, m.function("convert_u64"), {Value::i64(~0ull)}), bits32(18446744073709551616.0f));
}

TEST(ExecInterpreter, CallsMultiValueAndRecursion) {
  auto m = load(R"((module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $divmod (param i32 i32) (result i32 i32)
      (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
    (func (export "divmod") (param i32 i32) (result i32 i32) (call $divmod (local.get 0) (local.get 1)))
    (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "combine") (param i32 i32) (result i32)
      (call $divmod (local.get 0) (local.get 1))
      (i32.mul (i32.const 1000))
      (i32.add))
    (func (export "block_params") (param i32) (result i32)
      (local.get 0) (i32.const 10)
      (block (param i32 i32) (result i32) (i32.sub))))
  )");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, m.function("fib"), {Value::i32(20)}), 6765u);
  ASSERT_TRUE(ex.invoke(m.function("divmod"), std::vector<Value>{Value::i32(17), Value::i32(5)}));
  ASSERT_EQ(ex.results().size(), 2u);
  EXPECT_EQ(ex.results()[0].of.i32, 3u);
  EXPECT_EQ(ex.results()[1].of.i32, 2u);
  ASSERT_TRUE(ex.invoke(m.function("swap"), std::vector<Value>{Value::i32(1), Value::i32(2)}));
  EXPECT_EQ(ex.results()[0].of.i32, 2u);
  EXPECT_EQ(ex.results()[1].of.i32, 1u);
  EXPECT_EQ(call_ok(ex, m.function("combine"), {Value::i32(17), Value::i32(5)}), 2003u);
  EXPECT_EQ(call_ok(ex, m.function("block_params"), {Value::i32(15)}), 5u);
}

TEST(ExecInterpreter, BrTableWithValues) {
  auto m = load(R"((module
    (func (export "classify") (param i32) (result i32)
      (block $default (result i32)
        (block $two (result i32)
          (block $one (result i32)
            (block $zero (result i32)
              (i32.const 100)
              (br_table $zero $one $two $default (local.get 0)))
            (return (i32.add (i32.const 1))))
          (return (i32.add (i32.const 2))))
        (return (i32.add (i32.const 3))))
      (i32.add (i32.const 4)))
    (func (export "loop_sum") (param i32) (result i32) (local i32)
      (block $done
        (loop $next
          (br_table $done $next $next
            (i32.and (local.get 0) (i32.const 1)))
          ))
      (i32.const 0))
    (func (export "count") (param i32) (result i32) (local $acc i32)
      (block $out
        (loop $l
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_table $l $out (i32.eqz (local.get 0)))))
      (local.get $acc)))
  )");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, m.function("classify"), {Value::i32(0)}), 101u);
  EXPECT_EQ(call_ok(ex, m.function("classify"), {Value::i32(1)}), 102u);
  EXPECT_EQ(call_ok(ex, m.function("classify"), {Value::i32(2)}), 103u);
  EXPECT_EQ(call_ok(ex, m.function("classify"), {Value::i32(3)}), 104u);
  EXPECT_EQ(call_ok(ex, m.function("classify"), {Value::i32(99)}), 104u);
  EXPECT_EQ(call_ok(ex, m.function("loop_sum"), {Value::i32(0)}), 0u);
  EXPECT_EQ(call_ok(ex, m.function("count"), {Value::i32(7)}), 7u);
}

// local.get is folded into its consumers; a local.set while the old value is still pending on
// the stack must not change what the pending value reads.
TEST(ExecInterpreter, FoldedLocalsKeepTheirValueAcrossSets) {
  auto m = load(R"((module
    (func (export "pending") (param i32) (result i32)
      (local.get 0)                                  ;; old value, still pending
      (local.set 0 (i32.add (local.get 0) (i32.const 10)))
      (local.get 0)
      (i32.sub))                                     ;; old - new = -10
    (func (export "tee_pending") (param i32) (result i32)
      (local.get 0)
      (local.tee 0 (i32.const 3))
      (i32.mul))                                     ;; old * 3
    (func (export "pending_into_block") (param i32) (result i32)
      (local.get 0)
      (block (param i32) (result i32)
        (local.set 0 (i32.const 1000))
        (i32.add (local.get 0))))                    ;; old + 1000
    (func (export "pending_into_loop") (param i32) (result i32) (local $i i32)
      (local.get 0)                                  ;; pending across the loop
      (loop $l
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
      (local.get 0)
      (i32.sub))                                     ;; old - (old + 3) = -3
    (func (export "select_locals") (param i32 i32 i32) (result i32)
      (select (local.get 0) (local.get 1) (local.get 2))))
  )");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, m.function("pending"), {Value::i32(5)}), static_cast<std::uint32_t>(-10));
  EXPECT_EQ(call_ok(ex, m.function("tee_pending"), {Value::i32(7)}), 21u);
  EXPECT_EQ(call_ok(ex, m.function("pending_into_block"), {Value::i32(7)}), 1007u);
  EXPECT_EQ(call_ok(ex, m.function("pending_into_loop"), {Value::i32(7)}), static_cast<std::uint32_t>(-3));
  EXPECT_EQ(call_ok(ex, m.function("select_locals"), {Value::i32(1), Value::i32(2), Value::i32(0)}), 2u);
  EXPECT_EQ(call_ok(ex, m.function("select_locals"), {Value::i32(1), Value::i32(2), Value::i32(9)}), 1u);
}

TEST(ExecInterpreter, MemoryGrowReloadsTheBase) {
  auto m = load(R"((module
    (memory 1)
    (func (export "grow_then_store") (result i32)
      (drop (memory.grow (i32.const 3)))
      (i32.store (i32.const 196600) (i32.const 42))    ;; in page 3: only valid after growing
      (i32.add (i32.load (i32.const 196600)) (memory.size))))
  )");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, m.function("grow_then_store"), {}), 46u);
}

TEST(ExecInterpreter, ArgumentChecksAndReuse) {
  auto m = load(R"((module (func (export "id") (param i64) (result i64) (local.get 0))))");
  ASSERT_NE(m.instance, nullptr);
  Execution ex;
  auto wrong = ex.invoke(m.function("id"), std::vector<Value>{Value::i32(1)});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kArgumentMismatch);
  EXPECT_EQ(call_ok(ex, m.function("id"), {Value::i64(0x123456789ull)}), 0x123456789ull);
  EXPECT_EQ(ex.state(), RunState::kReturned);
  auto not_suspended = ex.resume();
  ASSERT_FALSE(not_suspended);
  EXPECT_EQ(not_suspended.error().code, ErrorCode::kNotResumable);
}

}  // namespace
}  // namespace wasmio
