// The constant-expression evaluator on hand-written byte sequences.
#include <gtest/gtest.h>

#include <vector>

#include "exec/const_expr.h"

namespace wasmio::detail {
namespace {

struct Fixture {
  FunctionInstance f0, f1;
  GlobalInstance g0;
  FunctionInstance* functions[2] = {&f0, &f1};
  GlobalInstance* globals[1] = {&g0};
  ConstExprScope scope{functions, globals};
};

// Evaluates `bytes` placed after two bytes of unrelated prefix, as inside a module.
Expected<Value> eval(const std::vector<std::uint8_t>& bytes, const ConstExprScope& scope) {
  std::vector<std::uint8_t> module{0xAA, 0xBB};
  module.insert(module.end(), bytes.begin(), bytes.end());
  module.push_back(0xCC);
  return evaluate_const_expr(module, ConstExpr{2, static_cast<std::uint32_t>(bytes.size())}, scope);
}

TEST(RuntimeConstExpr, NumericConstants) {
  Fixture fx;
  auto a = eval({0x41, 0x7F, 0x0B}, fx.scope);  // i32.const -1
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, ValType::kI32);
  EXPECT_EQ(a->of.i32, 0xFFFFFFFFu);
  auto b = eval({0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x0B}, fx.scope);  // i32.const 0x7FFFFFFF
  ASSERT_TRUE(b);
  EXPECT_EQ(b->of.i32, 0x7FFFFFFFu);
  // i64.const INT64_MIN
  auto c = eval({0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, 0x0B}, fx.scope);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, ValType::kI64);
  EXPECT_EQ(c->of.i64, 0x8000000000000000ull);
  auto d = eval({0x43, 0x01, 0x00, 0xA0, 0x7F, 0x0B}, fx.scope);  // f32 signalling NaN
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, ValType::kF32);
  EXPECT_EQ(d->f32_bits(), 0x7FA00001u);
  auto e = eval({0x44, 1, 2, 3, 4, 5, 6, 7, 8, 0x0B}, fx.scope);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->f64_bits(), 0x0807060504030201ull);
}

TEST(RuntimeConstExpr, References) {
  Fixture fx;
  auto null_extern = eval({0xD0, 0x6F, 0x0B}, fx.scope);
  ASSERT_TRUE(null_extern);
  EXPECT_EQ(null_extern->type, ValType::kExternRef);
  EXPECT_EQ(null_extern->of.ref, 0u);
  auto func = eval({0xD2, 0x01, 0x0B}, fx.scope);
  ASSERT_TRUE(func);
  EXPECT_EQ(func->type, ValType::kFuncRef);
  EXPECT_EQ(func->of.ref, reinterpret_cast<RefWord>(&fx.f1));
}

TEST(RuntimeConstExpr, GlobalGetReadsTheGlobalsValue) {
  Fixture fx;
  fx.g0.type = GlobalType{ValType::kI64, false};
  set_global_value(fx.g0, Value::i64(0x123456789ull));
  auto v = eval({0x23, 0x00, 0x0B}, fx.scope);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type, ValType::kI64);
  EXPECT_EQ(v->of.i64, 0x123456789ull);
}

TEST(RuntimeConstExpr, RejectsWhatValidationWouldHaveRejected) {
  Fixture fx;
  const std::vector<std::vector<std::uint8_t>> bad = {
      {},                        // empty
      {0x41, 0x00},              // no end
      {0x41, 0x00, 0x0B, 0x0B},  // trailing bytes inside the expression
      {0x41, 0x80},              // truncated LEB
      {0x43, 0x00, 0x00, 0x0B},  // truncated f32
      {0x6A, 0x0B},              // i32.add is not constant (Wasm 2.0)
      {0xD2, 0x02, 0x0B},        // function index out of range
      {0x23, 0x01, 0x0B},        // global index out of range
      {0xD0, 0x7F, 0x0B},        // ref.null of a numeric type
  };
  for (const auto& bytes : bad) {
    auto v = eval(bytes, fx.scope);
    ASSERT_FALSE(v) << "expression of " << bytes.size() << " bytes";
    EXPECT_EQ(v.error().code, ErrorCode::kConstantExpressionRequired);
    EXPECT_EQ(v.error().offset, 2u);
  }
  // A range past the module's end.
  std::vector<std::uint8_t> module{0x41, 0x00, 0x0B};
  EXPECT_FALSE(evaluate_const_expr(module, ConstExpr{1, 5}, fx.scope));
}

TEST(RuntimeConstExpr, GlobalWordsRoundTripEveryType) {
  GlobalInstance g;
  const Value values[] = {Value::i32(0x80000000u),      Value::i64(0xFFFFFFFF00000001ull),
                          Value::f32_bits(0xFFC00001u), Value::f64_bits(0xFFF8000000000001ull),
                          Value::funcref(0x1000),       Value::externref(0x2000)};
  for (const Value& v : values) {
    g.type.type = v.type;
    set_global_value(g, v);
    const Value back = global_value(g);
    EXPECT_EQ(back.type, v.type);
    EXPECT_EQ(back.of.i64,
              v.type == ValType::kI32 || v.type == ValType::kF32 ? v.of.i32 : v.of.i64);
  }
}

}  // namespace
}  // namespace wasmio::detail
