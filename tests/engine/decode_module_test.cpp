// Module-level decoding: header, section sequence, each section's encodings, cross-section
// rules, and what Module exposes afterwards.
#include <gtest/gtest.h>

#include "decode_test_support.h"
#include "module_impl.h"

namespace wasmio {
namespace {

using front_test::Bytes;
using front_test::load;
using front_test::load_error;
using front_test::module;
using front_test::section;

const Bytes kTypeVoid = section(1, {0x01, 0x60, 0x00, 0x00});  // type 0: [] -> []
const Bytes kOneFunction = section(3, {0x01, 0x00});
const Bytes kEmptyBody = section(10, {0x01, 0x02, 0x00, 0x0B});

TEST(DecodeHeader, TruncatedMagicOrVersionIsUnexpectedEnd) {
  EXPECT_EQ(load_error({}), ErrorCode::kUnexpectedEnd);
  EXPECT_EQ(load_error({0x00, 0x61, 0x73}), ErrorCode::kUnexpectedEnd);
  EXPECT_EQ(load_error({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00}), ErrorCode::kUnexpectedEnd);
}

TEST(DecodeHeader, WrongMagicOrVersion) {
  EXPECT_EQ(load_error({0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00}),
            ErrorCode::kMagicHeaderNotDetected);
  EXPECT_EQ(load_error({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}),
            ErrorCode::kUnknownBinaryVersion);
}

TEST(DecodeHeader, EmptyModuleLoads) {
  auto m = load(module({}));
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)->section_count(), 0u);
  EXPECT_EQ((*m)->function_count(), 0u);
}

TEST(DecodeSections, UnknownIdIsMalformed) {
  auto r = load(module({section(13, {})}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformedSectionId);
  EXPECT_EQ(r.error().offset, 8u);
}

TEST(DecodeSections, OutOfOrderAndDuplicateSections) {
  EXPECT_EQ(load_error(module({kOneFunction, kTypeVoid, kEmptyBody})),
            ErrorCode::kDuplicateSection);
  EXPECT_EQ(load_error(module({kTypeVoid, kTypeVoid})), ErrorCode::kDuplicateSection);
  // Data count (12) belongs before code (10).
  EXPECT_EQ(load_error(module({kTypeVoid, kOneFunction, kEmptyBody, section(12, {0x00})})),
            ErrorCode::kDuplicateSection);
  // Custom sections may appear anywhere, also repeatedly.
  const Bytes custom = section(0, {0x01, 'x', 0xAA});
  EXPECT_TRUE(load(module({custom, kTypeVoid, custom, kOneFunction, custom, kEmptyBody, custom})));
}

TEST(DecodeSections, SizeBeyondTheFileIsLengthOutOfBounds) {
  EXPECT_EQ(load_error(module({Bytes{0x01, 0x10, 0x00}})), ErrorCode::kLengthOutOfBounds);
}

TEST(DecodeSections, SectionSizeMismatch) {
  // Type section declares 5 bytes but its content takes 4: one byte left over.
  EXPECT_EQ(load_error(module({Bytes{0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00}})),
            ErrorCode::kSectionSizeMismatch);
  // Content runs past the declared size while the file goes on.
  EXPECT_EQ(load_error(module({Bytes{0x01, 0x03, 0x01, 0x60, 0x00, 0x00}, kOneFunction})),
            ErrorCode::kSectionSizeMismatch);
  // ... or where the file ends.
  EXPECT_EQ(load_error(module({Bytes{0x01, 0x03, 0x01, 0x60, 0x00}})),
            ErrorCode::kUnexpectedEndOfSectionOrFunction);
}

TEST(DecodeSections, FunctionAndCodeCountsMustAgree) {
  EXPECT_EQ(load_error(module({kTypeVoid, kOneFunction})), ErrorCode::kFunctionAndCodeInconsistent);
  EXPECT_EQ(load_error(module({kTypeVoid, kEmptyBody})), ErrorCode::kFunctionAndCodeInconsistent);
  EXPECT_EQ(load_error(module({kTypeVoid, section(3, {0x02, 0x00, 0x00}), kEmptyBody})),
            ErrorCode::kFunctionAndCodeInconsistent);
}

TEST(DecodeSections, MalformedTypeCodes) {
  EXPECT_EQ(load_error(module({section(1, {0x01, 0x61, 0x00, 0x00})})),
            ErrorCode::kMalformedFunctionType);
  EXPECT_EQ(load_error(module({section(1, {0x01, 0x60, 0x01, 0x7B, 0x00})})),
            ErrorCode::kMalformedValueType);  // v128: SIMD is not supported
  EXPECT_EQ(load_error(module({section(1, {0x01, 0x60, 0x01, 0x40, 0x00})})),
            ErrorCode::kMalformedValueType);
  EXPECT_EQ(load_error(module({section(4, {0x01, 0x7F, 0x00, 0x00})})),
            ErrorCode::kMalformedReferenceType);
  EXPECT_EQ(load_error(module({section(4, {0x01, 0x70, 0x02, 0x00})})),
            ErrorCode::kIntegerTooLarge);  // limits flags
  EXPECT_EQ(load_error(module({section(6, {0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B})})),
            ErrorCode::kMalformedMutability);
}

TEST(DecodeSections, ImportAndExportKinds) {
  const Bytes bad_import = section(2, {0x01, 0x01, 'm', 0x01, 'n', 0x04, 0x00});
  EXPECT_EQ(load_error(module({bad_import})), ErrorCode::kMalformedImportKind);
  const Bytes bad_export = section(7, {0x01, 0x01, 'e', 0x04, 0x00});
  EXPECT_EQ(load_error(module({bad_export})), ErrorCode::kMalformedExportKind);
  const Bytes bad_name = section(7, {0x01, 0x02, 0xC0, 0x80, 0x00, 0x00});
  EXPECT_EQ(load_error(module({bad_name})), ErrorCode::kMalformedUtf8);
  const Bytes long_name = section(7, {0x01, 0x40, 'e', 0x00, 0x00});
  EXPECT_EQ(load_error(module({long_name})), ErrorCode::kLengthOutOfBounds);
}

TEST(DecodeCode, LocalsLimits) {
  // 2^32-1 + 2 locals: over the format's limit.
  const Bytes format = section(10, {0x01, 0x0A, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02,
                                    0x7E, 0x0B});
  EXPECT_EQ(load_error(module({kTypeVoid, kOneFunction, format})), ErrorCode::kTooManyLocals);
  // 50001 locals: within the format, over this implementation's limit.
  const Bytes impl = section(10, {0x01, 0x06, 0x01, 0xD1, 0x86, 0x03, 0x7F, 0x0B});
  auto r = load(module({kTypeVoid, kOneFunction, impl}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kImplementationLimit);
  EXPECT_EQ(r.error().index, 0u);
  // 50000 is fine.
  const Bytes ok = section(10, {0x01, 0x06, 0x01, 0xD0, 0x86, 0x03, 0x7F, 0x0B});
  EXPECT_TRUE(load(module({kTypeVoid, kOneFunction, ok})));
}

// A module with one [] -> [] function whose body (after an empty locals vector) is `code`.
Bytes module_with_code(const Bytes& code) {
  Bytes body{0x00};
  body.insert(body.end(), code.begin(), code.end());
  Bytes payload{0x01};
  const Bytes size = front_test::leb_u32(static_cast<std::uint32_t>(body.size()));
  payload.insert(payload.end(), size.begin(), size.end());
  payload.insert(payload.end(), body.begin(), body.end());
  return module({kTypeVoid, kOneFunction, section(10, payload)});
}

Bytes nested_blocks(std::size_t depth) {
  Bytes code;
  for (std::size_t i = 0; i < depth; ++i) code.insert(code.end(), {0x02, 0x40});
  code.insert(code.end(), depth + 1, 0x0B);
  return code;
}

TEST(DecodeCode, BlockNestingLimit) {
  EXPECT_TRUE(load(module_with_code(nested_blocks(4096))));
  auto r = load(module_with_code(nested_blocks(4097)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kImplementationLimit);
}

TEST(DecodeCode, OperandStackLimit) {
  auto pushes = [](std::size_t n) {
    Bytes code;
    for (std::size_t i = 0; i < n; ++i) code.insert(code.end(), {0x41, 0x00});   // i32.const 0
    for (std::size_t i = 0; i < n; ++i) code.push_back(0x1A);                    // drop
    code.push_back(0x0B);
    return module_with_code(code);
  };
  EXPECT_TRUE(load(pushes(65536)));
  auto r = load(pushes(65537));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kImplementationLimit);
  EXPECT_EQ(r.error().index, 0u);
}

TEST(DecodeCode, BodyStructure) {
  auto body = [](Bytes instrs) {
    Bytes b{0x00};  // no locals
    b.insert(b.end(), instrs.begin(), instrs.end());
    Bytes payload{0x01};
    const Bytes size = front_test::leb_u32(static_cast<std::uint32_t>(b.size()));
    payload.insert(payload.end(), size.begin(), size.end());
    payload.insert(payload.end(), b.begin(), b.end());
    return module({kTypeVoid, kOneFunction, section(10, payload)});
  };
  EXPECT_TRUE(load(body({0x02, 0x40, 0x0B, 0x0B})));
  EXPECT_EQ(load_error(body({0x06, 0x0B})), ErrorCode::kIllegalOpcode);
  EXPECT_EQ(load_error(body({0x05, 0x0B})), ErrorCode::kEndOpcodeExpected);  // else outside if
  EXPECT_EQ(load_error(body({0x02, 0x40, 0x05, 0x0B, 0x0B})), ErrorCode::kEndOpcodeExpected);
  EXPECT_EQ(load_error(body({0x41, 0x01, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B})),
            ErrorCode::kEndOpcodeExpected);  // second else
  EXPECT_EQ(load_error(body({0x01})), ErrorCode::kUnexpectedEndOfSectionOrFunction);  // no end
  EXPECT_EQ(load_error(body({0x0B, 0x01})), ErrorCode::kSectionSizeMismatch);  // after end
  EXPECT_EQ(load_error(body({0x3F, 0x01, 0x1A, 0x0B})), ErrorCode::kZeroByteExpected);
}

TEST(DecodeCode, MissingEndFollowedByAnotherBody) {
  // Function 0's body ends without `end`; function 1 follows in the same section.
  const Bytes code = section(10, {0x02, 0x02, 0x00, 0x01, 0x02, 0x00, 0x0B});
  EXPECT_EQ(load_error(module({kTypeVoid, section(3, {0x02, 0x00, 0x00}), code})),
            ErrorCode::kEndOpcodeExpected);
}

TEST(DecodeData, CountSectionRules) {
  const Bytes memory = section(5, {0x01, 0x00, 0x01});
  const Bytes passive = section(11, {0x01, 0x01, 0x01, 0xAA});
  EXPECT_TRUE(load(module({memory, section(12, {0x01}), passive})));
  EXPECT_EQ(load_error(module({memory, section(12, {0x02}), passive})),
            ErrorCode::kDataCountAndDataInconsistent);
  EXPECT_EQ(load_error(module({memory, section(12, {0x01})})),
            ErrorCode::kDataCountAndDataInconsistent);
  // data.drop 0 with a data section but no data count section.
  const Bytes drop = section(10, {0x01, 0x05, 0x00, 0xFC, 0x09, 0x00, 0x0B});
  EXPECT_EQ(load_error(module({kTypeVoid, kOneFunction, memory, drop, passive})),
            ErrorCode::kDataCountRequired);
  EXPECT_TRUE(load(module({kTypeVoid, kOneFunction, memory, section(12, {0x01}), drop, passive})));
}

TEST(DecodeData, ThreeSegmentForms) {
  const Bytes memory = section(5, {0x01, 0x00, 0x01});
  const Bytes data = section(11, {0x03,                                  //
                                  0x00, 0x41, 0x08, 0x0B, 0x02, 'a', 'b',  // active, memory 0
                                  0x01, 0x01, 'c',                        // passive
                                  0x02, 0x00, 0x41, 0x10, 0x0B, 0x00});   // active, explicit 0
  auto m = load(module({memory, data}));
  ASSERT_TRUE(m) << m.error().message();
  const auto& segs = (*m)->impl().data_segments;
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[0].mode, detail::SegmentMode::kActive);
  EXPECT_EQ(segs[0].init.size, 2u);
  EXPECT_EQ((*m)->bytes()[segs[0].init.offset], 'a');
  EXPECT_EQ(segs[1].mode, detail::SegmentMode::kPassive);
  EXPECT_EQ(segs[1].init.size, 1u);
  EXPECT_EQ(segs[2].mode, detail::SegmentMode::kActive);
  EXPECT_EQ(segs[2].offset.size, 3u);  // i32.const 16, end
  EXPECT_EQ(load_error(module({memory, section(11, {0x01, 0x03, 0x00})})),
            ErrorCode::kMalformedSegmentFlags);
}

TEST(DecodeElement, EightSegmentForms) {
  const Bytes table = section(4, {0x01, 0x70, 0x00, 0x10});
  const Bytes elem = section(9, {0x08,
                                 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00,              // 0
                                 0x01, 0x00, 0x01, 0x00,                          // 1 passive
                                 0x02, 0x00, 0x41, 0x01, 0x0B, 0x00, 0x01, 0x00,  // 2 table 0
                                 0x03, 0x00, 0x01, 0x00,                          // 3 declarative
                                 0x04, 0x41, 0x02, 0x0B, 0x01, 0xD2, 0x00, 0x0B,  // 4 exprs
                                 0x05, 0x70, 0x01, 0xD0, 0x70, 0x0B,              // 5 passive exprs
                                 0x06, 0x00, 0x41, 0x03, 0x0B, 0x70, 0x00,        // 6 table 0 exprs
                                 0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B});            // 7 declarative
  auto m = load(module({kTypeVoid, kOneFunction, table, elem, kEmptyBody}));
  ASSERT_TRUE(m) << m.error().message() << " at " << m.error().offset;
  const auto& segs = (*m)->impl().elem_segments;
  ASSERT_EQ(segs.size(), 8u);
  using detail::SegmentMode;
  const SegmentMode modes[] = {SegmentMode::kActive,  SegmentMode::kPassive,
                               SegmentMode::kActive,  SegmentMode::kDeclarative,
                               SegmentMode::kActive,  SegmentMode::kPassive,
                               SegmentMode::kActive,  SegmentMode::kDeclarative};
  for (unsigned i = 0; i < 8; ++i) {
    EXPECT_EQ(segs[i].mode, modes[i]) << i;
    EXPECT_EQ(segs[i].uses_expressions, i >= 4) << i;
    EXPECT_EQ(segs[i].type, ValType::kFuncRef) << i;
  }
  EXPECT_EQ(segs[0].function_indices.size(), 1u);
  EXPECT_EQ(segs[4].expressions.size(), 1u);
  EXPECT_EQ(segs[6].expressions.size(), 0u);
  EXPECT_EQ(load_error(module({table, section(9, {0x01, 0x08})})), ErrorCode::kMalformedSegmentFlags);
  EXPECT_EQ(load_error(module({table, section(9, {0x01, 0x01, 0x01, 0x00})})),
            ErrorCode::kMalformedElementKind);
}

TEST(DecodeCustom, SectionsAndNamesAreKept) {
  const Bytes names = section(0, {0x04, 'n', 'a', 'm', 'e',
                                  0x00, 0x04, 0x03, 'm', 'o', 'd',           // module name
                                  0x01, 0x06, 0x01, 0x00, 0x03, 'r', 'u', 'n'});  // func 0
  const Bytes other = section(0, {0x03, 'a', 'b', 'c', 0x01, 0x02});
  auto m = load(module({kTypeVoid, kOneFunction, other, kEmptyBody, names}));
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)->module_name(), "mod");
  EXPECT_EQ((*m)->function_name(0), "run");
  EXPECT_EQ((*m)->function_name(1), "");
  ASSERT_EQ((*m)->custom_section_count(), 2u);
  const CustomSection abc = (*m)->custom_section(0);
  EXPECT_EQ(abc.name, "abc");
  ASSERT_EQ(abc.bytes.size(), 2u);
  EXPECT_EQ(abc.bytes[1], 0x02);
  EXPECT_EQ((*m)->bytes()[abc.offset], 0x01);
  EXPECT_EQ((*m)->custom_section(1).name, "name");
}

TEST(DecodeCustom, MalformedNameSectionIsIgnored) {
  // Function names out of order: the whole name section is dropped, the module still loads.
  const Bytes names = section(0, {0x04, 'n', 'a', 'm', 'e',
                                  0x00, 0x02, 0x01, 'm',
                                  0x01, 0x07, 0x02, 0x01, 0x01, 'b', 0x00, 0x01, 'a'});
  auto m = load(module({names}));
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)->module_name(), "");
  EXPECT_EQ((*m)->function_name(0), "");
  // A custom section's own name must still be well-formed UTF-8.
  EXPECT_EQ(load_error(module({section(0, {0x01, 0xFF})})), ErrorCode::kMalformedUtf8);
}

TEST(DecodeModule, AccessorsDescribeImportsExportsAndFunctions) {
  const Bytes bytes = front_test::wat(R"(
    (module
      (type $t (func (param i32 i64) (result f32)))
      (import "env" "f" (func (type $t)))
      (import "env" "mem" (memory 1 2))
      (import "env" "g" (global (mut i32)))
      (import "env" "tab" (table 3 externref))
      (func $own (result i32) (i32.const 7))
      (export "own" (func $own))
      (export "m" (memory 0)))
  )");
  auto loaded = load(bytes, LoadStage::kValidate);
  ASSERT_TRUE(loaded) << loaded.error().message();
  const Module& m = **loaded;
  EXPECT_EQ(m.stage(), LoadStage::kValidate);
  ASSERT_EQ(m.import_count(), 4u);
  const ImportInfo f = m.import(0);
  EXPECT_EQ(f.module, "env");
  EXPECT_EQ(f.name, "f");
  EXPECT_EQ(f.kind, ExternKind::kFunction);
  ASSERT_EQ(f.function.params.size(), 2u);
  EXPECT_EQ(f.function.params[1], ValType::kI64);
  EXPECT_EQ(f.function.results[0], ValType::kF32);
  EXPECT_EQ(m.import(1).memory.limits.max, 2u);
  EXPECT_TRUE(m.import(2).global.mutable_);
  EXPECT_EQ(m.import(3).table.element, ValType::kExternRef);
  EXPECT_EQ(m.import(3).table.limits.min, 3u);
  ASSERT_EQ(m.export_count(), 2u);
  EXPECT_EQ(m.export_(0).name, "own");
  EXPECT_EQ(m.export_(0).index, 1u);
  EXPECT_EQ(m.export_(1).kind, ExternKind::kMemory);
  EXPECT_EQ(m.function_count(), 2u);
  EXPECT_TRUE(m.function_type(0) == f.function);
  EXPECT_EQ(m.function_type(1).results.size(), 1u);
  EXPECT_TRUE(m.function_type(99).params.empty());  // out of range: empty, no crash
  EXPECT_EQ(m.import(99).name, "");
  // Sections in file order with payload offsets.
  ASSERT_GE(m.section_count(), 5u);
  EXPECT_EQ(m.section(0).id, 1);
  EXPECT_EQ(m.section(0).offset, 10u);
  for (std::uint32_t i = 0; i < m.section_count(); ++i) {
    EXPECT_LE(m.section(i).offset + m.section(i).size, bytes.size());
  }
}

TEST(DecodeModule, BorrowedBytesAreNotCopied) {
  const Bytes bytes = module({kTypeVoid, kOneFunction, kEmptyBody});
  LoadOptions options;
  options.copy_bytes = false;
  options.stage = LoadStage::kValidate;
  auto borrowed = Module::load(bytes, options);
  ASSERT_TRUE(borrowed);
  EXPECT_EQ((*borrowed)->bytes().data(), bytes.data());
  options.copy_bytes = true;
  auto copied = Module::load(bytes, options);
  ASSERT_TRUE(copied);
  EXPECT_NE((*copied)->bytes().data(), bytes.data());
  EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), (*copied)->bytes().begin()));
}

TEST(DecodeModule, DecodeStageSkipsValidation) {
  // call of a function that does not exist: decodes, does not validate.
  const Bytes bytes = module({kTypeVoid, kOneFunction, section(10, {0x01, 0x04, 0x00, 0x10, 0x05, 0x0B})});
  auto decoded = load(bytes, LoadStage::kDecode);
  ASSERT_TRUE(decoded);
  EXPECT_EQ((*decoded)->stage(), LoadStage::kDecode);
  auto validated = load(bytes, LoadStage::kValidate);
  ASSERT_FALSE(validated);
  EXPECT_EQ(validated.error().code, ErrorCode::kUnknownFunction);
  EXPECT_EQ(validated.error().phase(), Phase::kValidate);
  EXPECT_EQ(validated.error().offset, 8u + kTypeVoid.size() + kOneFunction.size() + 5);
  EXPECT_EQ(validated.error().index, 0u);
}

}  // namespace
}  // namespace wasmio
