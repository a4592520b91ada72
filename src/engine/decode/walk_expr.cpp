#include "decode/walk_expr.h"

#include "decode/instr_reader.h"

namespace wasmio::detail {
namespace {

enum BlockKind : std::uint8_t { kPlainBlock, kIfBlock, kElseBlock };

}  // namespace

Expected<void> walk_expr(ByteReader& r, Vec<std::uint8_t>& block_stack,
                         ExprFacts& facts) noexcept {
  block_stack.clear();
  Instr in;
  for (;;) {
    WASMIO_TRY(read_instr_into(r, in));
    switch (in.op) {
      case Opcode::block:
      case Opcode::loop:
      case Opcode::if_:
        if (block_stack.size() >= kMaxBlockDepth) {
          return unexpected(ErrorCode::kImplementationLimit, in.offset);
        }
        block_stack.push_back(in.op == Opcode::if_ ? kIfBlock : kPlainBlock);
        break;
      case Opcode::else_:
        // `else` closes the then-arm of an `if`; anywhere else the enclosing construct needed
        // its `end` here.
        if (block_stack.empty() || block_stack.back() != kIfBlock) {
          return unexpected(ErrorCode::kEndOpcodeExpected, in.offset);
        }
        block_stack.back() = kElseBlock;
        break;
      case Opcode::end:
        if (block_stack.empty()) return {};
        block_stack.pop_back();
        break;
      case Opcode::memory_init:
      case Opcode::data_drop:
        if (!facts.uses_data_index) {
          facts.uses_data_index = true;
          facts.first_data_index_use = in.offset;
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace wasmio::detail
