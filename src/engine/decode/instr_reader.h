// Internal: decodes one instruction (opcode and immediates) at a time from a byte range.
//
// Shared by the decoder (which walks every body and constant expression once to check the
// encoding), the validator and the lowering stage. It checks the encoding only: opcodes against
// the opcode table, LEB128 forms, the reserved zero bytes, value/reference type bytes. It assumes
// nothing about validity (indices may be out of range, types may not match), so it is safe on
// any input:
//
//   ByteReader r = ...;                 // positioned on the first instruction
//   while (!r.at_end()) {
//     WASMIO_TRY_ASSIGN(instr, read_instr(r));
//     switch (instr.op) { ... }         // immediates per opcode_info(instr.op).imm
//   }
#pragma once

#include <cstdint>

#include "common/byte_reader.h"
#include "common/opcode_table.h"
#include "wasmio/types.h"

namespace wasmio::detail {

enum class BlockTypeKind : std::uint8_t {
  kEmpty,      // 0x40: [] -> []
  kValue,      // one valtype: [] -> [t]
  kTypeIndex,  // s33 >= 0: the function type with that index
};

struct BlockType {
  BlockTypeKind kind = BlockTypeKind::kEmpty;
  ValType value = ValType::kI32;  // kValue
  std::uint32_t type_index = 0;   // kTypeIndex
};

// One decoded instruction. Which immediate fields are meaningful follows
// opcode_info(op).imm; the others stay zero.
struct Instr {
  Opcode op = Opcode::kCount;
  std::uint32_t offset = 0;  // of the opcode's first byte in the module binary
  std::uint32_t end = 0;     // one past its last immediate byte

  BlockType block;  // kBlockType
  // kLabel, kFunc, kLocal, kGlobal, kTable: that index. kCallIndirect: the type index.
  // kBrTable: the default label. kDataIdx, kMemInit: the data index. kElemIdx, kTableInit: the
  // element segment index. kTableCopy: the destination table.
  std::uint32_t index = 0;
  // kCallIndirect, kTableInit: the table index. kTableCopy: the source table.
  std::uint32_t index2 = 0;
  // kMemArg: alignment exponent and static offset.
  std::uint32_t align = 0;
  std::uint32_t mem_offset = 0;
  // kI32: the value zero-extended (as uint32_t); kI64: the value; kF32/kF64: the raw bits.
  std::uint64_t bits = 0;
  // kRefType: the reference type; kSelectT: the first type (when count > 0).
  ValType type = ValType::kI32;
  // kSelectT: the number of types in the vector (Wasm 2.0 requires 1, the validator checks it).
  // kBrTable: the number of targets before the default.
  std::uint32_t count = 0;
  // kBrTable: offset of the first target's LEB; read them with br_table_targets().
  std::uint32_t targets_offset = 0;
};

// Decodes the instruction at r.pos() and advances past it. Errors: kIllegalOpcode (unknown
// opcode, also for an unknown 0xFC sub-opcode), kZeroByteExpected, kMalformedValueType,
// kMalformedReferenceType, LEB128 errors, and r's overrun error when the bytes run out.
Expected<Instr> read_instr(ByteReader& r) noexcept;

// The same, decoding into `out` (every field rewritten) without copying an Instr through the
// result: for the decoder's and validator's loops over whole bodies.
Expected<void> read_instr_into(ByteReader& r, Instr& out) noexcept;

// A reader over the targets of a br_table read by read_instr from `body` (any reader over the
// same binary): read instr.count labels with u32(), then the default label.
inline ByteReader br_table_targets(const ByteReader& body, const Instr& instr) noexcept {
  return body.nested(instr.targets_offset, instr.end);
}

}  // namespace wasmio::detail
