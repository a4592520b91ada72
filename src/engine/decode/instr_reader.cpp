#include "decode/instr_reader.h"

#include "decode/read_types.h"

namespace wasmio::detail {
namespace {

Expected<void> expect_zero_byte(ByteReader& r) noexcept {
  const std::uint32_t at = r.pos();
  WASMIO_TRY_ASSIGN(b, r.u8());
  if (b != 0) return unexpected(ErrorCode::kZeroByteExpected, at);
  return {};
}

Expected<BlockType> read_block_type(ByteReader& r) noexcept {
  BlockType bt;
  const std::uint32_t at = r.pos();
  const std::uint8_t first = r.peek_or(0);
  if (first == 0x40) {
    (void)r.u8();
    return bt;
  }
  // A single value type is a negative one-byte s33 (0x7F..0x6F range): decode it as a type.
  if ((first & 0xC0) == 0x40) {
    WASMIO_TRY_ASSIGN(t, read_valtype(r));
    bt.kind = BlockTypeKind::kValue;
    bt.value = t;
    return bt;
  }
  WASMIO_TRY_ASSIGN(index, r.s33());
  if (index < 0) return unexpected(ErrorCode::kMalformedValueType, at);
  bt.kind = BlockTypeKind::kTypeIndex;
  bt.type_index = static_cast<std::uint32_t>(index);
  if (static_cast<std::uint64_t>(index) != bt.type_index) {
    return unexpected(ErrorCode::kIntegerTooLarge, at);  // s33 beyond any u32 type index
  }
  return bt;
}

}  // namespace

Expected<Instr> read_instr(ByteReader& r) noexcept {
  Instr in;
  WASMIO_TRY(read_instr_into(r, in));
  return in;
}

Expected<void> read_instr_into(ByteReader& r, Instr& in) noexcept {
  in = Instr{};
  in.offset = r.pos();
  WASMIO_TRY_ASSIGN(byte, r.u8());
  Opcode op = kOpcodeMaps.one_byte(byte);
  if (byte == 0xFC) {
    WASMIO_TRY_ASSIGN(sub, r.u32());
    op = kOpcodeMaps.prefixed(sub);
  }
  if (op == Opcode::kCount) return unexpected(ErrorCode::kIllegalOpcode, in.offset);
  in.op = op;
  const ImmKind imm = opcode_info(op).imm;
  if (imm == ImmKind::kNone) {  // most instructions: nothing more to read
    in.end = r.pos();
    return {};
  }

  switch (imm) {
    case ImmKind::kNone:
      break;
    case ImmKind::kBlockType: {
      WASMIO_TRY_ASSIGN(bt, read_block_type(r));
      in.block = bt;
      break;
    }
    case ImmKind::kLabel:
    case ImmKind::kFunc:
    case ImmKind::kLocal:
    case ImmKind::kGlobal:
    case ImmKind::kTable:
    case ImmKind::kDataIdx:
    case ImmKind::kElemIdx: {
      WASMIO_TRY_ASSIGN(index, r.u32());
      in.index = index;
      break;
    }
    case ImmKind::kBrTable: {
      // Each target takes at least one byte, so the count is bounded by the bytes left.
      WASMIO_TRY_ASSIGN(n, r.count(1));
      in.count = n;
      in.targets_offset = r.pos();
      for (std::uint32_t i = 0; i < n; ++i) {
        WASMIO_TRY(r.u32());
      }
      WASMIO_TRY_ASSIGN(default_label, r.u32());
      in.index = default_label;
      break;
    }
    case ImmKind::kCallIndirect:
    case ImmKind::kTableInit:
    case ImmKind::kTableCopy: {
      WASMIO_TRY_ASSIGN(first, r.u32());
      WASMIO_TRY_ASSIGN(second, r.u32());
      in.index = first;
      in.index2 = second;
      break;
    }
    case ImmKind::kMemArg: {
      WASMIO_TRY_ASSIGN(align, r.u32());
      WASMIO_TRY_ASSIGN(offset, r.u32());
      in.align = align;
      in.mem_offset = offset;
      break;
    }
    case ImmKind::kMemIdx:
      WASMIO_TRY(expect_zero_byte(r));
      break;
    case ImmKind::kI32: {
      WASMIO_TRY_ASSIGN(v, r.s32());
      in.bits = static_cast<std::uint32_t>(v);
      break;
    }
    case ImmKind::kI64: {
      WASMIO_TRY_ASSIGN(v, r.s64());
      in.bits = static_cast<std::uint64_t>(v);
      break;
    }
    case ImmKind::kF32: {
      WASMIO_TRY_ASSIGN(v, r.fixed32());
      in.bits = v;
      break;
    }
    case ImmKind::kF64: {
      WASMIO_TRY_ASSIGN(v, r.fixed64());
      in.bits = v;
      break;
    }
    case ImmKind::kSelectT: {
      WASMIO_TRY_ASSIGN(n, r.count(1));
      in.count = n;
      for (std::uint32_t i = 0; i < n; ++i) {
        WASMIO_TRY_ASSIGN(t, read_valtype(r));
        if (i == 0) in.type = t;
      }
      break;
    }
    case ImmKind::kRefType: {
      WASMIO_TRY_ASSIGN(t, read_reftype(r));
      in.type = t;
      break;
    }
    case ImmKind::kMemInit: {
      WASMIO_TRY_ASSIGN(index, r.u32());
      in.index = index;
      WASMIO_TRY(expect_zero_byte(r));
      break;
    }
    case ImmKind::kMemCopy:
      WASMIO_TRY(expect_zero_byte(r));
      WASMIO_TRY(expect_zero_byte(r));
      break;
  }
  in.end = r.pos();
  return {};
}

}  // namespace wasmio::detail
