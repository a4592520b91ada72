// White-box checks of the lowered code: folding really removes dispatches, fused forms are used,
// the pc map is sorted and points at the instructions it names.
#include <algorithm>

#include "exec_test_support.h"
#include "lower/lowered_code.h"
#include "lower/lowered_ops.h"
#include "module_impl.h"

namespace wasmio {
namespace {

using detail::LoweredFunction;
using detail::LoweredOp;

const LoweredFunction& lowered(const Module& module, std::uint32_t defined_index) {
  return module.impl().lowered->functions[defined_index];
}

// Walks the operations of `fn` (op lengths come from the handler words).
std::vector<LoweredOp> operations(const LoweredFunction& fn) {
  const std::int32_t* handlers = detail::interpreter_handler_offsets();
  auto op_of = [&](std::uint32_t word) {
    for (unsigned i = 0; i < static_cast<unsigned>(LoweredOp::kCount); ++i) {
      if (static_cast<std::uint32_t>(handlers[i]) == word) return static_cast<LoweredOp>(i);
    }
    return LoweredOp::kCount;
  };
  auto length = [&](LoweredOp op, std::size_t at) -> std::size_t {
    switch (op) {
      case LoweredOp::safe_point: case LoweredOp::return_1: return 2;
      case LoweredOp::copy: case LoweredOp::i32_const: case LoweredOp::call_internal: return 3;
      case LoweredOp::copy2: return 5;
      case LoweredOp::return_: return 1;
      case LoweredOp::br_if_i32_lt_u: case LoweredOp::br_if_i32_lt_u_loop: case LoweredOp::i32_add:
      case LoweredOp::i32_add_imm: case LoweredOp::i32_mul: return 4;
      case LoweredOp::br_table: return 3 + fn.code[at + 2] + 1;
      default: return 0;  // not used by the modules below
    }
  };
  std::vector<LoweredOp> ops;
  for (std::size_t at = 0; at < fn.code.size();) {
    LoweredOp op = op_of(fn.code[at]);
    std::size_t n = length(op, at);
    EXPECT_NE(n, 0u) << "unexpected operation " << static_cast<unsigned>(op) << " at " << at;
    if (n == 0) break;
    ops.push_back(op);
    at += n;
  }
  return ops;
}

TEST(ExecLowering, LocalGetAndConstantsFoldIntoTheirConsumers) {
  auto m = exec_test::load(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "madd") (param i32 i32) (result i32) (local i32)
      (local.set 2 (i32.mul (local.get 0) (local.get 1)))
      (i32.add (local.get 2) (i32.const 7))))
  )");
  ASSERT_NE(m.instance, nullptr);
  EXPECT_EQ(operations(lowered(*m.module, 0)),
            (std::vector<LoweredOp>{LoweredOp::safe_point, LoweredOp::i32_add, LoweredOp::return_1}));
  // local.set retargets the multiply; the constant becomes an immediate.
  EXPECT_EQ(operations(lowered(*m.module, 1)),
            (std::vector<LoweredOp>{LoweredOp::safe_point, LoweredOp::i32_mul, LoweredOp::i32_add_imm,
                                    LoweredOp::return_1}));
  Execution ex;
  EXPECT_EQ(exec_test::call_ok(ex, m.function("madd"), {Value::i32(6), Value::i32(7)}), 49u);
}

TEST(ExecLowering, CompareAndBranchFuse) {
  auto m = exec_test::load(R"((module
    (func (export "count") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
      (local.get 1)))
  )");
  ASSERT_NE(m.instance, nullptr);
  EXPECT_EQ(operations(lowered(*m.module, 0)),
            (std::vector<LoweredOp>{LoweredOp::safe_point, LoweredOp::safe_point, LoweredOp::i32_add_imm,
                                    LoweredOp::br_if_i32_lt_u_loop, LoweredOp::return_1}));
  Execution ex;
  EXPECT_EQ(exec_test::call_ok(ex, m.function("count"), {Value::i32(1000)}), 1000u);
}

TEST(ExecLowering, PcMapIsSortedAndNamesTrappingInstructions) {
  auto m = exec_test::load(R"((module
    (memory 1)
    (func (export "f") (param i32 i32) (result i32)
      (i32.div_u (i32.load (local.get 0)) (local.get 1))))
  )");
  ASSERT_NE(m.instance, nullptr);
  const LoweredFunction& fn = lowered(*m.module, 0);
  ASSERT_EQ(fn.pc_map.size(), 3u);  // entry safe point, load, div
  EXPECT_TRUE(std::is_sorted(fn.pc_map.begin(), fn.pc_map.end(),
                             [](const auto& a, const auto& b) { return a.code_index < b.code_index; }));
  auto bytes = m.module->bytes();
  EXPECT_EQ(bytes[fn.pc_map[1].binary_offset], 0x28);  // i32.load
  EXPECT_EQ(bytes[fn.pc_map[2].binary_offset], 0x6E);  // i32.div_u
  EXPECT_EQ(fn.binary_offset_at(fn.pc_map[2].code_index + 1), fn.pc_map[2].binary_offset);
  // Lowered code stays within a small multiple of the Wasm code.
  EXPECT_LE(fn.code.size() * 4, 4u * fn.wasm_bytes + 16);
}

}  // namespace
}  // namespace wasmio
