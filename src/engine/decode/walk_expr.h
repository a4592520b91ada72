// Internal: the decoder's walk over an expression (a function body or a constant expression):
// every instruction is decoded with read_instr, and the block structure is checked (every
// block/loop/if closed by `end`, `else` only once and only inside `if`), which is all the
// binary format requires of code.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/byte_reader.h"
#include "common/hook_allocator.h"

namespace wasmio::detail {

// Implementation limit on nested blocks in one expression: the validator and the lowerer keep
// one frame per level, and on a microcontroller that memory must stay bounded.
inline constexpr std::size_t kMaxBlockDepth = 4096;

struct ExprFacts {
  // memory.init or data.drop occur: the module then needs a data count section.
  bool uses_data_index = false;
  std::uint32_t first_data_index_use = 0;  // offset of the first such instruction
};

// Walks from r.pos() through the `end` that closes the expression; r is left just after it.
// `block_stack` is scratch space (reused between calls to avoid reallocating). Errors: those of
// read_instr, kEndOpcodeExpected for a misplaced `else`, kImplementationLimit beyond
// kMaxBlockDepth, and r's overrun error.
Expected<void> walk_expr(ByteReader& r, Vec<std::uint8_t>& block_stack, ExprFacts& facts) noexcept;

}  // namespace wasmio::detail
