// Byte-level readers of the decoder: LEB128 limits, UTF-8 names, the instruction reader.
#include <gtest/gtest.h>

#include "common/byte_reader.h"
#include "common/utf8.h"
#include "decode/instr_reader.h"

namespace wasmio::detail {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A reader nested in a larger file, like a section (so overruns are not "top level").
ByteReader section_reader(const Bytes& bytes) {
  return ByteReader(bytes).nested(0, static_cast<std::uint32_t>(bytes.size()));
}

TEST(DecodeLeb128, U32AcceptsFiveBytesUpToMax) {
  Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  ByteReader r = section_reader(b);
  auto v = r.u32();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 0xFFFFFFFFu);
  EXPECT_TRUE(r.at_end());
}

TEST(DecodeLeb128, U32NonMinimalButShortEnoughIsAccepted) {
  Bytes b{0x82, 0x80, 0x80, 0x80, 0x00};  // 2 in five bytes
  ByteReader r = section_reader(b);
  auto v = r.u32();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 2u);
}

TEST(DecodeLeb128, U32UnusedBitsAreTooLarge) {
  Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
  ByteReader r = section_reader(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::kIntegerTooLarge);
  EXPECT_EQ(v.error().offset, 4u);
}

TEST(DecodeLeb128, U32SixBytesAreTooLong) {
  Bytes b{0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  ByteReader r = section_reader(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::kIntegerRepresentationTooLong);
}

TEST(DecodeLeb128, S32SignExtensionAndBounds) {
  {
    Bytes b{0x7F};  // -1
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s32(), -1);
  }
  {
    Bytes b{0x40, 0x3F, 0xC0, 0x00};  // one-byte fast path: -64, 63; two bytes: 64
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s32(), -64);
    EXPECT_EQ(*r.s32(), 63);
    EXPECT_EQ(*r.s32(), 64);
  }
  {
    Bytes b{0x80, 0x80, 0x80, 0x80, 0x78};  // INT32_MIN
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s32(), INT32_MIN);
  }
  {
    Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x07};  // INT32_MAX
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s32(), INT32_MAX);
  }
  {
    Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x4F};  // negative with inconsistent unused bits
    ByteReader r = section_reader(b);
    auto v = r.s32();
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, ErrorCode::kIntegerTooLarge);
  }
  {
    Bytes b{0x80, 0x80, 0x80, 0x80, 0x08};  // positive with the sign bit of bit 31 set
    ByteReader r = section_reader(b);
    EXPECT_EQ(r.s32().error().code, ErrorCode::kIntegerTooLarge);
  }
}

TEST(DecodeLeb128, S64Bounds) {
  {
    Bytes b{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F};  // INT64_MIN
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s64(), INT64_MIN);
  }
  {
    Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};  // INT64_MAX
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s64(), INT64_MAX);
  }
  {
    Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};  // bit 63 set, positive form
    ByteReader r = section_reader(b);
    EXPECT_EQ(r.s64().error().code, ErrorCode::kIntegerTooLarge);
  }
  {
    Bytes b{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    ByteReader r = section_reader(b);
    EXPECT_EQ(r.s64().error().code, ErrorCode::kIntegerRepresentationTooLong);
  }
}

TEST(DecodeLeb128, S33CoversTypeIndicesAndNegativeTypes) {
  {
    Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x0F};  // 2^32-1 fits 33 signed bits
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s33(), 0xFFFFFFFFll);
  }
  {
    Bytes b{0x40};  // -64: the empty block type's byte
    ByteReader r = section_reader(b);
    EXPECT_EQ(*r.s33(), -64);
  }
  {
    Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x2F};  // unused bits not a sign extension
    ByteReader r = section_reader(b);
    EXPECT_EQ(r.s33().error().code, ErrorCode::kIntegerTooLarge);
  }
}

TEST(DecodeLeb128, OverrunErrorsDependOnWhereTheReaderSits) {
  Bytes file{0x80, 0x80, 0x01, 0x00};
  {
    ByteReader top(std::span<const std::uint8_t>(file.data(), 2));
    EXPECT_EQ(top.u32().error().code, ErrorCode::kUnexpectedEnd);
  }
  {
    // Ends where the file ends: ran out of the section or function.
    ByteReader r = ByteReader(std::span<const std::uint8_t>(file.data(), 2)).nested(0, 2);
    EXPECT_EQ(r.u32().error().code, ErrorCode::kUnexpectedEndOfSectionOrFunction);
  }
  {
    // Ends before the file does: the content crosses its section's end.
    ByteReader r = ByteReader(file).nested(0, 2);
    EXPECT_EQ(r.u32().error().code, ErrorCode::kSectionSizeMismatch);
  }
}

TEST(DecodeLeb128, CountBeyondRemainingBytesFailsBeforeAnyAllocation) {
  Bytes b{0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
  ByteReader r = section_reader(b);
  auto n = r.count(1);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kUnexpectedEndOfSectionOrFunction);
}

TEST(DecodeUtf8, AcceptsWellFormedSequences) {
  const Bytes ok{'a', 0xC2, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xED, 0x9F, 0xBF,
                 0xF4, 0x8F, 0xBF, 0xBF};
  EXPECT_TRUE(is_valid_utf8(ok));
  EXPECT_TRUE(is_valid_utf8({}));
}

TEST(DecodeUtf8, RejectsOverlongSurrogatesOutOfRangeAndTruncated) {
  EXPECT_FALSE(is_valid_utf8(Bytes{0xC0, 0x80}));              // overlong NUL
  EXPECT_FALSE(is_valid_utf8(Bytes{0xE0, 0x80, 0x80}));        // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8(Bytes{0xF0, 0x80, 0x80, 0x80}));  // overlong 4-byte
  EXPECT_FALSE(is_valid_utf8(Bytes{0xED, 0xA0, 0x80}));        // U+D800
  EXPECT_FALSE(is_valid_utf8(Bytes{0xF4, 0x90, 0x80, 0x80}));  // U+110000
  EXPECT_FALSE(is_valid_utf8(Bytes{0xE2, 0x82}));              // truncated
  EXPECT_FALSE(is_valid_utf8(Bytes{0x80}));                    // lone continuation
  EXPECT_FALSE(is_valid_utf8(Bytes{0xC2, 0x41}));              // bad continuation
  EXPECT_FALSE(is_valid_utf8(Bytes{0xFF}));
}

TEST(DecodeInstrReader, DecodesImmediatesOfEachKind) {
  const Bytes code{
      0x02, 0x40,                    // block (empty)
      0x03, 0x7F,                    // loop (result i32)
      0x04, 0x05,                    // if (type 5)
      0x0E, 0x02, 0x00, 0x01, 0x02,  // br_table 0 1 default 2
      0x11, 0x03, 0x01,              // call_indirect type 3 table 1
      0x28, 0x02, 0x10,              // i32.load align=2 offset=16
      0x3F, 0x00,                    // memory.size
      0x41, 0x7F,                    // i32.const -1
      0x42, 0x80, 0x7F,              // i64.const -128
      0x43, 0x00, 0x00, 0x80, 0x3F,  // f32.const 1.0
      0x1C, 0x01, 0x7E,              // select (result i64)
      0xD0, 0x6F,                    // ref.null extern
      0xFC, 0x08, 0x03, 0x00,        // memory.init 3
      0xFC, 0x0E, 0x01, 0x02,        // table.copy 1 2
      0xFC, 0x0C, 0x04, 0x05,        // table.init elem 4 table 5
      0x0B,
  };
  ByteReader r = section_reader(code);
  auto next = [&] {
    auto in = read_instr(r);
    EXPECT_TRUE(in) << (in ? "" : in.error().message());
    return in ? *in : Instr{};
  };
  Instr in = next();
  EXPECT_EQ(in.op, Opcode::block);
  EXPECT_EQ(in.block.kind, BlockTypeKind::kEmpty);
  in = next();
  EXPECT_EQ(in.op, Opcode::loop);
  EXPECT_EQ(in.block.kind, BlockTypeKind::kValue);
  EXPECT_EQ(in.block.value, ValType::kI32);
  in = next();
  EXPECT_EQ(in.op, Opcode::if_);
  EXPECT_EQ(in.block.kind, BlockTypeKind::kTypeIndex);
  EXPECT_EQ(in.block.type_index, 5u);
  in = next();
  EXPECT_EQ(in.op, Opcode::br_table);
  EXPECT_EQ(in.count, 2u);
  EXPECT_EQ(in.index, 2u);
  ByteReader targets = br_table_targets(r, in);
  EXPECT_EQ(*targets.u32(), 0u);
  EXPECT_EQ(*targets.u32(), 1u);
  in = next();
  EXPECT_EQ(in.op, Opcode::call_indirect);
  EXPECT_EQ(in.index, 3u);
  EXPECT_EQ(in.index2, 1u);
  in = next();
  EXPECT_EQ(in.op, Opcode::i32_load);
  EXPECT_EQ(in.align, 2u);
  EXPECT_EQ(in.mem_offset, 16u);
  in = next();
  EXPECT_EQ(in.op, Opcode::memory_size);
  in = next();
  EXPECT_EQ(in.op, Opcode::i32_const);
  EXPECT_EQ(in.bits, 0xFFFFFFFFu);
  in = next();
  EXPECT_EQ(in.op, Opcode::i64_const);
  EXPECT_EQ(static_cast<std::int64_t>(in.bits), -128);
  in = next();
  EXPECT_EQ(in.op, Opcode::f32_const);
  EXPECT_EQ(in.bits, 0x3F800000u);
  in = next();
  EXPECT_EQ(in.op, Opcode::select_t);
  EXPECT_EQ(in.count, 1u);
  EXPECT_EQ(in.type, ValType::kI64);
  in = next();
  EXPECT_EQ(in.op, Opcode::ref_null);
  EXPECT_EQ(in.type, ValType::kExternRef);
  in = next();
  EXPECT_EQ(in.op, Opcode::memory_init);
  EXPECT_EQ(in.index, 3u);
  in = next();
  EXPECT_EQ(in.op, Opcode::table_copy);
  EXPECT_EQ(in.index, 1u);
  EXPECT_EQ(in.index2, 2u);
  in = next();
  EXPECT_EQ(in.op, Opcode::table_init);
  EXPECT_EQ(in.index, 4u);
  EXPECT_EQ(in.index2, 5u);
  in = next();
  EXPECT_EQ(in.op, Opcode::end);
  EXPECT_EQ(in.offset + 1, in.end);
  EXPECT_TRUE(r.at_end());
}

TEST(DecodeInstrReader, RejectsMalformedEncodings) {
  auto first_error = [](Bytes code) {
    code.push_back(0x00);  // keep the file longer than the instruction
    ByteReader r = ByteReader(code).nested(0, static_cast<std::uint32_t>(code.size()));
    auto in = read_instr(r);
    return in ? ErrorCode::kUnreachable : in.error().code;
  };
  EXPECT_EQ(first_error({0x06}), ErrorCode::kIllegalOpcode);              // try (exceptions)
  EXPECT_EQ(first_error({0xFD, 0x00}), ErrorCode::kIllegalOpcode);        // SIMD prefix
  EXPECT_EQ(first_error({0xFC, 0x12}), ErrorCode::kIllegalOpcode);        // past table.fill
  EXPECT_EQ(first_error({0xFC, 0x80, 0x01}), ErrorCode::kIllegalOpcode);  // sub-opcode 128
  EXPECT_EQ(first_error({0x3F, 0x01}), ErrorCode::kZeroByteExpected);     // memory.size 1
  EXPECT_EQ(first_error({0xFC, 0x0A, 0x00, 0x01}), ErrorCode::kZeroByteExpected);
  EXPECT_EQ(first_error({0xD0, 0x7F}), ErrorCode::kMalformedReferenceType);
  EXPECT_EQ(first_error({0x02, 0x7B}), ErrorCode::kMalformedValueType);  // v128 block
  EXPECT_EQ(first_error({0x1C, 0x01, 0x7B}), ErrorCode::kMalformedValueType);
  EXPECT_EQ(first_error({0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}),
            ErrorCode::kIntegerRepresentationTooLong);
}

TEST(DecodeInstrReader, EveryOpcodeOfTheTableRoundTrips) {
  // Encode each opcode with zeroed immediates of its kind and decode it back.
  for (unsigned i = 0; i < static_cast<unsigned>(Opcode::kCount); ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    Bytes code;
    if (info.prefix != 0) code.push_back(info.prefix);
    code.push_back(info.code);
    switch (info.imm) {
      case ImmKind::kNone: break;
      case ImmKind::kBlockType: code.push_back(0x40); break;
      case ImmKind::kBrTable: code.insert(code.end(), {0x01, 0x00, 0x00}); break;
      case ImmKind::kCallIndirect:
      case ImmKind::kMemArg:
      case ImmKind::kMemInit:
      case ImmKind::kMemCopy:
      case ImmKind::kTableInit:
      case ImmKind::kTableCopy: code.insert(code.end(), {0x00, 0x00}); break;
      case ImmKind::kF32: code.insert(code.end(), 4, 0x00); break;
      case ImmKind::kF64: code.insert(code.end(), 8, 0x00); break;
      case ImmKind::kSelectT: code.insert(code.end(), {0x01, 0x7F}); break;
      case ImmKind::kRefType: code.push_back(0x70); break;
      default: code.push_back(0x00); break;  // one index / zero byte / const
    }
    ByteReader r = section_reader(code);
    auto in = read_instr(r);
    ASSERT_TRUE(in) << opcode_name(static_cast<Opcode>(i));
    EXPECT_EQ(static_cast<unsigned>(in->op), i) << opcode_name(static_cast<Opcode>(i));
    EXPECT_TRUE(r.at_end()) << opcode_name(static_cast<Opcode>(i));
  }
}

}  // namespace
}  // namespace wasmio::detail
