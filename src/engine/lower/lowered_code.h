// Internal: the lowered code the interpreter runs (produced once per module by lower/).
//
// A function's code is a stream of 32-bit words. Each operation is one handler word (the offset
// of its handler from the interpreter's dispatch base, so dispatch is one load + one indirect
// jump) followed by its operands: frame slot indices (every local and operand-stack position is a
// 64-bit slot at a fixed index of the frame, known from validation-style stack tracking),
// immediates (64-bit ones take two words, low first) and branch offsets (in words, relative to
// the start of the branching operation). Nothing is re-decoded at run time.
//
// Frame layout of a call: [params | declared locals | operand stack]; a callee's frame starts at
// the caller's first argument slot, so arguments are never copied and results come back in the
// same slots.
#pragma once

#include <cstdint>

#include "common/hook_allocator.h"
#include "wasmio/types.h"

namespace wasmio::detail {

// Lowered pc -> instruction offset in the module binary, for the operations that can trap, call
// or suspend (sorted by code_index). Used only for backtraces: no run-time cost.
struct PcMapEntry {
  std::uint32_t code_index;
  std::uint32_t binary_offset;
};

struct LoweredModule;

struct LoweredFunction {
  Vec<std::uint32_t> code;
  Vec<PcMapEntry> pc_map;
  const LoweredModule* module = nullptr;
  std::uint32_t function_index = 0;  // in the module's function index space
  std::uint32_t param_slots = 0;
  std::uint32_t result_slots = 0;
  std::uint32_t local_slots = 0;     // params + declared locals
  std::uint32_t frame_slots = 0;     // locals + the deepest operand stack
  std::uint32_t body_offset = 0;     // binary offset of the function body (after its size)
  std::uint32_t wasm_bytes = 0;      // size of the body in the binary (for code-size reports)

  // The binary offset of the instruction at lowered index `code_index` (the operation starting
  // at or before it that has an entry).
  std::uint32_t binary_offset_at(std::uint32_t code_index) const noexcept;
};

struct LoweredModule {
  // One per defined function (function index - imported function count).
  Vec<LoweredFunction> functions;
  std::uint32_t imported_function_count = 0;
};

}  // namespace wasmio::detail
