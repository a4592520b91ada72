// The runner's value model: wast2json value parsing, NaN patterns, reference mapping, texts.
#include "spec_value.h"

#include <gtest/gtest.h>

namespace wasmio::spectest {
namespace {

SpecValue parse(std::string_view type, std::string_view value) {
  std::string error;
  auto v = parse_spec_value(type, true, value, &error);
  EXPECT_TRUE(v.has_value()) << type << " " << value << ": " << error;
  return v.value_or(SpecValue{});
}

bool rejected(std::string_view type, std::string_view value) {
  std::string error;
  bool failed = !parse_spec_value(type, true, value, &error).has_value();
  if (failed) EXPECT_FALSE(error.empty());
  return failed;
}

TEST(SpecValue, IntegersAreUnsignedBitPatterns) {
  EXPECT_EQ(parse("i32", "4294967295").bits, 0xFFFFFFFFu);
  EXPECT_EQ(parse("i64", "18446744073709551615").bits, ~std::uint64_t{0});
  EXPECT_TRUE(matches(parse("i32", "4294967295"), Value::i32(0xFFFFFFFFu)));
  EXPECT_FALSE(matches(parse("i32", "1"), Value::i32(2)));
  EXPECT_FALSE(matches(parse("i32", "1"), Value::i64(1)));  // type must agree
  EXPECT_TRUE(rejected("i32", "4294967296"));
  EXPECT_TRUE(rejected("i32", "-1"));
  EXPECT_TRUE(rejected("i64", "18446744073709551616"));
  EXPECT_TRUE(rejected("i32", "12abc"));
  EXPECT_TRUE(rejected("i32", ""));
  EXPECT_TRUE(rejected("i128", "1"));
  EXPECT_TRUE(rejected("v128", "1"));
}

TEST(SpecValue, FloatsCompareBitPatternsIncludingNanPayloadsAndZeroSigns) {
  EXPECT_TRUE(matches(parse("f32", "1069547520"), Value::f32(1.5f)));
  EXPECT_FALSE(matches(parse("f32", "0"), Value::f32_bits(0x80000000u)));  // +0 is not -0
  EXPECT_TRUE(matches(parse("f64", "9221120237041090561"), Value::f64_bits(0x7FF8000000000001ull)));
  EXPECT_FALSE(
      matches(parse("f64", "9221120237041090561"), Value::f64_bits(0x7FF8000000000000ull)));
}

TEST(SpecValue, CanonicalNanAcceptsOnlyTheCanonicalPayloadOfEitherSign) {
  SpecValue c32 = parse("f32", "nan:canonical");
  EXPECT_EQ(c32.pattern, SpecValue::Pattern::kCanonicalNan);
  EXPECT_TRUE(matches(c32, Value::f32_bits(0x7FC00000u)));
  EXPECT_TRUE(matches(c32, Value::f32_bits(0xFFC00000u)));
  EXPECT_FALSE(matches(c32, Value::f32_bits(0x7FC00001u)));
  EXPECT_FALSE(matches(c32, Value::f32_bits(0x7F800001u)));
  EXPECT_FALSE(matches(c32, Value::f32_bits(0x7F800000u)));  // infinity
  EXPECT_FALSE(matches(c32, Value::f64_bits(0x7FF8000000000000ull)));

  SpecValue c64 = parse("f64", "nan:canonical");
  EXPECT_TRUE(matches(c64, Value::f64_bits(0x7FF8000000000000ull)));
  EXPECT_TRUE(matches(c64, Value::f64_bits(0xFFF8000000000000ull)));
  EXPECT_FALSE(matches(c64, Value::f64_bits(0x7FF8000000000001ull)));
}

TEST(SpecValue, ArithmeticNanNeedsTheQuietBit) {
  SpecValue a32 = parse("f32", "nan:arithmetic");
  EXPECT_TRUE(matches(a32, Value::f32_bits(0x7FC00000u)));
  EXPECT_TRUE(matches(a32, Value::f32_bits(0xFFC00123u)));
  EXPECT_FALSE(matches(a32, Value::f32_bits(0x7FA00000u)));  // signalling
  EXPECT_FALSE(matches(a32, Value::f32(1.0f)));

  SpecValue a64 = parse("f64", "nan:arithmetic");
  EXPECT_TRUE(matches(a64, Value::f64_bits(0x7FFC000000000000ull)));
  EXPECT_FALSE(matches(a64, Value::f64_bits(0x7FF4000000000000ull)));
}

TEST(SpecValue, ExternrefNMapsToHostWordNPlusOneAndNullToZero) {
  SpecValue zero = parse("externref", "0");
  EXPECT_EQ(zero.bits, 1u);
  EXPECT_EQ(to_argument(zero).of.ref, RefWord{1});
  EXPECT_EQ(to_argument(zero).type, ValType::kExternRef);
  EXPECT_TRUE(matches(zero, Value::externref(1)));
  EXPECT_FALSE(matches(zero, Value::externref(0)));

  SpecValue null = parse("externref", "null");
  EXPECT_TRUE(matches(null, Value::externref(0)));
  EXPECT_FALSE(matches(null, Value::externref(1)));
  EXPECT_FALSE(matches(null, Value::funcref(0)));
  EXPECT_TRUE(matches(parse("funcref", "null"), Value::funcref(0)));
  EXPECT_TRUE(rejected("funcref", "3"));  // a function cannot be named from a script
}

TEST(SpecValue, MissingValuesAreTypeOnlyOrNonNullReferences) {
  std::string error;
  auto i = parse_spec_value("i32", false, "", &error);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->pattern, SpecValue::Pattern::kTypeOnly);
  EXPECT_TRUE(matches(*i, Value::i32(123)));
  EXPECT_FALSE(matches(*i, Value::f32(1)));
  auto r = parse_spec_value("funcref", false, "", &error);
  ASSERT_TRUE(r);
  EXPECT_TRUE(matches(*r, Value::funcref(0x1000)));
  EXPECT_FALSE(matches(*r, Value::funcref(0)));
}

TEST(SpecValue, DescriptionsNameTypeAndValue) {
  EXPECT_EQ(describe(Value::i32(0xFFFFFFFFu)), "i32:-1 (0xffffffff)");
  EXPECT_EQ(describe(Value::f32(1.5f)), "f32:0x3fc00000 (1.5)");
  EXPECT_EQ(describe(Value::externref(3)), "externref:ref.extern 2");
  EXPECT_EQ(describe(parse("f64", "nan:arithmetic")), "f64:nan:arithmetic");
}

TEST(TextsMatch, EitherMayBeAPrefixOfTheOther) {
  EXPECT_TRUE(texts_match("uninitialized element", "uninitialized element 2"));
  EXPECT_TRUE(texts_match("unknown memory 0", "unknown memory"));
  EXPECT_TRUE(texts_match("type mismatch", "type mismatch"));
  EXPECT_FALSE(texts_match("type mismatch", "unknown type"));
  EXPECT_FALSE(texts_match("", "unreachable"));
}

}  // namespace
}  // namespace wasmio::spectest
