// Validation rules: one test per rule family, each with modules that must pass and modules
// that must fail with a specific error. Invalid modules are assembled with wat2wasm --no-check.
#include <gtest/gtest.h>

#include "decode_test_support.h"

namespace wasmio {
namespace {

using front_test::Bytes;

ErrorCode invalid(const std::string& text) {
  const Bytes bytes = front_test::wat(text, /*check=*/false);
  if (bytes.empty()) return ErrorCode::kUnreachable;
  auto loaded = front_test::load(bytes);
  if (loaded) {
    ADD_FAILURE() << "validated, expected an error:\n" << text;
    return ErrorCode::kUnreachable;
  }
  EXPECT_EQ(loaded.error().phase(), Phase::kValidate) << loaded.error().message() << "\n" << text;
  return loaded.error().code;
}

void valid(const std::string& text) {
  const Bytes bytes = front_test::wat(text, /*check=*/false);
  auto loaded = front_test::load(bytes);
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message()) << " at byte "
                      << (loaded ? 0 : loaded.error().offset) << "\n" << text;
}

TEST(ValidateOperands, PlainInstructionsUseTheTableSignatures) {
  valid("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))");
  valid("(module (func (result f64) (f64.convert_i64_u (i64.const 1))))");
  EXPECT_EQ(invalid("(module (func (result i32) (i32.add (i64.const 1) (i32.const 2))))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (i32.eqz) (drop)))"), ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (result i32) (i64.const 0)))"), ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (i32.const 0)))"), ErrorCode::kTypeMismatch);  // left over
}

TEST(ValidateOperands, UnreachableCodeIsPolymorphic) {
  valid("(module (func (result i32) (unreachable) (i32.add)))");
  valid("(module (func (result i64) (return (i64.const 1)) (i32.const 0) (drop) (i64.const 2)))");
  valid("(module (func (unreachable) (select) (drop)))");
  EXPECT_EQ(invalid("(module (func (result i32) (unreachable) (i64.const 0) (i32.add)))"),
            ErrorCode::kTypeMismatch);
  // br_table in dead code may target labels of different types with the same arity.
  valid(R"((module (func
      (block (result f32) (block (result i32) (unreachable) (br_table 0 1 0)) (drop) (f32.const 0))
      (drop))))");
}

TEST(ValidateControl, BlocksIfsAndBranches) {
  valid("(module (func (result i32) (block (result i32) (i32.const 1) (br 0))))");
  valid("(module (func (result i32) (loop (result i32) (br_if 0 (i32.const 0)) (i32.const 1))))");
  valid("(module (func (param i32) (result i32) (if (result i32) (local.get 0) "
        "(then (i32.const 1)) (else (i32.const 2)))))");
  // Multi-value block types through a type index.
  valid(R"((module (type $pair (func (param i32) (result i32 i64)))
      (func (result i32 i64) (i32.const 1) (block (type $pair) (i64.const 2)))))");
  EXPECT_EQ(invalid("(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))"),
            ErrorCode::kTypeMismatch);  // if without else must pass its inputs through
  EXPECT_EQ(invalid("(module (func (block (result i32) (i64.const 1)) (drop)))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (br 1)))"), ErrorCode::kUnknownLabel);
  EXPECT_EQ(invalid("(module (func (block (br_table 0 2 (i32.const 0)))))"),
            ErrorCode::kUnknownLabel);
  EXPECT_EQ(invalid(R"((module (func (block (result i32) (block
      (br_table 0 1 (i32.const 0) (i32.const 0)))) (drop))))"),
            ErrorCode::kTypeMismatch);  // br_table arities differ
}

TEST(ValidateControl, BlockTypeIndexMustExist) {
  // block (type 7) end: wat2wasm cannot write an unresolved type index, so by hand.
  const Bytes bytes = front_test::module({front_test::section(1, {0x01, 0x60, 0x00, 0x00}),
                                          front_test::section(3, {0x01, 0x00}),
                                          front_test::section(10, {0x01, 0x05, 0x00, 0x02, 0x07,
                                                                   0x0B, 0x0B})});
  auto loaded = front_test::load(bytes);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kUnknownType);
}

TEST(ValidateControl, CalleeTypeIndexIsCheckedBeforeBodies) {
  // Function 0 calls function 1, whose type index 5 does not exist.
  const Bytes bytes = front_test::module({front_test::section(1, {0x01, 0x60, 0x00, 0x00}),
                                          front_test::section(3, {0x02, 0x00, 0x05}),
                                          front_test::section(10, {0x02, 0x04, 0x00, 0x10, 0x01,
                                                                   0x0B, 0x02, 0x00, 0x0B})});
  auto loaded = front_test::load(bytes);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kUnknownType);
  EXPECT_EQ(loaded.error().index, 1u);
}

TEST(ValidateControl, CallsAndReturns) {
  valid("(module (func $f (param i32) (result i32) (local.get 0)) "
        "(func (result i32) (call $f (i32.const 1))))");
  EXPECT_EQ(invalid("(module (func (call 3)))"), ErrorCode::kUnknownFunction);
  EXPECT_EQ(invalid("(module (func $f (param i32)) (func (call $f (i64.const 1))))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (result i32) (return (i64.const 1))))"),
            ErrorCode::kTypeMismatch);
  valid("(module (type $t (func)) (table 1 funcref) (func (call_indirect (type $t) (i32.const 0))))");
  EXPECT_EQ(invalid("(module (type $t (func)) (func (call_indirect (type $t) (i32.const 0))))"),
            ErrorCode::kUnknownTable);
  EXPECT_EQ(invalid("(module (type $t (func)) (table 1 externref) "
                    "(func (call_indirect (type $t) (i32.const 0))))"),
            ErrorCode::kTypeMismatch);
}

TEST(ValidateVariables, LocalsAndGlobals) {
  valid("(module (func (param i32) (local i64) (local.set 1 (i64.extend_i32_u (local.get 0)))))");
  EXPECT_EQ(invalid("(module (func (param i32) (local i64) (drop (local.get 2))))"),
            ErrorCode::kUnknownLocal);
  EXPECT_EQ(invalid("(module (func (local f32) (local.set 0 (i32.const 0))))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (drop (global.get 0))))"), ErrorCode::kUnknownGlobal);
  EXPECT_EQ(invalid("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))"),
            ErrorCode::kGlobalIsImmutable);
  valid("(module (global (mut i32) (i32.const 0)) (func (global.set 0 (i32.const 1))))");
}

TEST(ValidateMemory, IndicesAlignmentAndLimits) {
  valid("(module (memory 1) (func (drop (i64.load32_u align=4 (i32.const 0)))))");
  EXPECT_EQ(invalid("(module (memory 1) (func (drop (i64.load32_u align=8 (i32.const 0)))))"),
            ErrorCode::kAlignmentTooLarge);
  EXPECT_EQ(invalid("(module (memory 1) (func (i32.store8 align=2 (i32.const 0) (i32.const 0))))"),
            ErrorCode::kAlignmentTooLarge);
  EXPECT_EQ(invalid("(module (func (drop (i32.load (i32.const 0)))))"), ErrorCode::kUnknownMemory);
  EXPECT_EQ(invalid("(module (func (drop (memory.size))))"), ErrorCode::kUnknownMemory);
  EXPECT_EQ(invalid("(module (memory 65537))"), ErrorCode::kMemorySizeTooLarge);
  EXPECT_EQ(invalid("(module (memory 1 65537))"), ErrorCode::kMemorySizeTooLarge);
  EXPECT_EQ(invalid("(module (memory 2 1))"), ErrorCode::kLimitsMinGreaterThanMax);
  EXPECT_EQ(invalid("(module (import \"a\" \"b\" (memory 3 2)))"),
            ErrorCode::kLimitsMinGreaterThanMax);
  valid("(module (memory 65536))");
}

TEST(ValidateMemory, AtMostOneMemory) {
  // Two memory entries (wat2wasm needs multi-memory to write this, so by hand).
  const Bytes two = front_test::module({front_test::section(5, {0x02, 0x00, 0x01, 0x00, 0x01})});
  auto loaded = front_test::load(two);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kMultipleMemories);
}

TEST(ValidateBulk, SegmentIndices) {
  valid("(module (memory 1) (data \"x\") (func (memory.init 0 (i32.const 0) (i32.const 0) "
        "(i32.const 1)) (data.drop 0)))");
  EXPECT_EQ(invalid("(module (memory 1) (data \"x\") (func (data.drop 1)))"),
            ErrorCode::kUnknownDataSegment);
  valid("(module (table 1 funcref) (elem func 0) (func (table.init 0 (i32.const 0) (i32.const 0) "
        "(i32.const 1)) (elem.drop 0)))");
  EXPECT_EQ(invalid("(module (table 1 funcref) (func (elem.drop 0)))"),
            ErrorCode::kUnknownElemSegment);
  EXPECT_EQ(invalid("(module (table 1 externref) (elem funcref (ref.null func)) "
                    "(func (table.init 0 (i32.const 0) (i32.const 0) (i32.const 0))))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (table $a 1 externref) (table $b 1 funcref) "
                    "(func (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func (drop (table.size 0))))"), ErrorCode::kUnknownTable);
}

TEST(ValidateReferences, RefTypesSelectAndDeclaredFunctions) {
  valid("(module (func (result i32) (ref.is_null (ref.null extern))))");
  EXPECT_EQ(invalid("(module (func (result i32) (ref.is_null (i32.const 0))))"),
            ErrorCode::kTypeMismatch);
  valid("(module (func (result externref) (select (result externref) (ref.null extern) "
        "(ref.null extern) (i32.const 1))))");
  EXPECT_EQ(invalid("(module (func (result externref) (select (ref.null extern) "
                    "(ref.null extern) (i32.const 1))))"),
            ErrorCode::kTypeMismatch);  // untyped select only for numbers
  EXPECT_EQ(invalid("(module (func (result i32) (select (i32.const 0) (i64.const 0) "
                    "(i32.const 1))))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (func $f (drop (ref.func $f))))"),
            ErrorCode::kUndeclaredFunctionReference);
  valid("(module (func $f (drop (ref.func $f))) (elem declare func $f))");
  valid("(module (func $f (drop (ref.func $f))) (export \"f\" (func $f)))");
  valid("(module (func $f (drop (ref.func $f))) (global funcref (ref.func $f)))");
  EXPECT_EQ(invalid("(module (table 1 funcref) (func (table.set 0 (i32.const 0) "
                    "(ref.null extern))))"),
            ErrorCode::kTypeMismatch);
  valid("(module (table 1 externref) (func (result i32) (table.grow 0 (ref.null extern) "
        "(i32.const 1))))");
}

TEST(ValidateReferences, TypedSelectNeedsExactlyOneType) {
  // select with an empty type vector (0x1C 0x00): wat2wasm would encode plain select.
  const Bytes body{0x01, 0x0B, 0x00, 0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1C, 0x00, 0x1A, 0x0B};
  const Bytes bytes = front_test::module({front_test::section(1, {0x01, 0x60, 0x00, 0x00}),
                                          front_test::section(3, {0x01, 0x00}),
                                          front_test::section(10, body)});
  auto loaded = front_test::load(bytes);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidResultArity);
}

TEST(ValidateModule, ConstantExpressions) {
  valid("(module (import \"a\" \"g\" (global i32)) (global i32 (global.get 0)))");
  EXPECT_EQ(invalid("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))"),
            ErrorCode::kConstantExpressionRequired);
  EXPECT_EQ(invalid("(module (import \"a\" \"g\" (global (mut i32))) (global i32 (global.get 0)))"),
            ErrorCode::kConstantExpressionRequired);
  EXPECT_EQ(invalid("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))"),
            ErrorCode::kUnknownGlobal);  // only imported globals are visible
  EXPECT_EQ(invalid("(module (global i64 (i32.const 0)))"), ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (memory 1) (data (i64.const 0) \"x\"))"), ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))"),
            ErrorCode::kTypeMismatch);
  EXPECT_EQ(invalid("(module (data (i32.const 0) \"x\"))"), ErrorCode::kUnknownMemory);
  EXPECT_EQ(invalid("(module (table 1 funcref) (elem (i32.const 0) func 5))"),
            ErrorCode::kUnknownFunction);
}

TEST(ValidateModule, ExportsAndStart) {
  EXPECT_EQ(invalid("(module (func) (export \"a\" (func 0)) (export \"a\" (func 0)))"),
            ErrorCode::kDuplicateExportName);
  EXPECT_EQ(invalid("(module (export \"a\" (global 0)))"), ErrorCode::kUnknownGlobal);
  EXPECT_EQ(invalid("(module (export \"a\" (memory 0)))"), ErrorCode::kUnknownMemory);
  valid("(module (func $s) (start $s))");
  EXPECT_EQ(invalid("(module (func $s (param i32)) (start $s))"), ErrorCode::kStartFunction);
  EXPECT_EQ(invalid("(module (func $s (result i32) (i32.const 0)) (start $s))"),
            ErrorCode::kStartFunction);
  EXPECT_EQ(invalid("(module (start 0))"), ErrorCode::kUnknownFunction);
  EXPECT_EQ(invalid("(module (import \"a\" \"b\" (func (type 3))))"), ErrorCode::kUnknownType);
}

TEST(ValidateModule, ErrorsLocateTheFunctionAndInstruction) {
  const Bytes bytes = front_test::wat("(module (func) (func (i64.const 0) (drop) (i32.eqz)))", false);
  auto loaded = front_test::load(bytes);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().index, 1u);
  ASSERT_LT(loaded.error().offset, bytes.size());
  EXPECT_EQ(bytes[loaded.error().offset], 0x45);  // i32.eqz
}

}  // namespace
}  // namespace wasmio
