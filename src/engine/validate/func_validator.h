// Internal: validation of function bodies with the algorithm of the spec's appendix
// (operand stack of value types with an "unknown" type for unreachable code, control stack of
// frames with their block types).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/hook_allocator.h"
#include "decode/instr_reader.h"
#include "validate/context.h"

namespace wasmio::detail {

// Implementation limit on a function's operand stack height (in values): the interpreter needs
// a slot for each, its default stack has 64 Ki slots for all frames together, and the validator's
// own memory must stay bounded on a microcontroller. Reported as kImplementationLimit.
inline constexpr std::size_t kMaxOperandStackHeight = 65536;

class FunctionValidator {
 public:
  explicit FunctionValidator(const ValidationContext& c) : c_(c) {}

  // Checks the body of defined function `defined_index` (0 = first non-imported function).
  // The scratch stacks are kept between calls.
  Expected<void> validate(std::uint32_t defined_index);

 private:
  // Operand stack entries: a ValType's encoding, or kUnknown (any type, from unreachable code).
  static constexpr std::uint8_t kUnknown = 0;

  struct Frame {
    Opcode op;  // block, loop, if_, else_, or end for the function's own frame
    std::span<const ValType> params;
    std::span<const ValType> results;
    std::uint32_t height;
    bool unreachable;
  };

  Expected<void> step(const Instr& in, const ByteReader& body);
  Expected<void> check_immediates(const Instr& in);
  Expected<void> block_types(const BlockType& bt, std::span<const ValType>& params,
                             std::span<const ValType>& results) const;

  void push(std::uint8_t t) { vals_.push_back(t); }
  void push(ValType t) { vals_.push_back(static_cast<std::uint8_t>(t)); }
  void push_vals(std::span<const ValType> types) {
    for (ValType t : types) push(t);
  }
  Expected<std::uint8_t> pop_any();
  Expected<std::uint8_t> pop(ValType expected);
  Expected<void> pop_vals(std::span<const ValType> types);
  void push_frame(Opcode op, std::span<const ValType> params, std::span<const ValType> results);
  Expected<Frame> pop_frame();
  void set_unreachable();
  static std::span<const ValType> label_types(const Frame& f) {
    return f.op == Opcode::loop ? f.params : f.results;
  }
  Error error(ErrorCode code) const { return make_error(code, at_, function_index_); }

  const ValidationContext& c_;
  Vec<std::uint8_t> vals_;
  Vec<Frame> frames_;
  Vec<ValType> locals_;
  Vec<std::uint8_t> scratch_;
  std::span<const ValType> function_results_;
  std::uint32_t at_ = 0;  // offset of the instruction being checked
  std::uint32_t function_index_ = 0;
};

}  // namespace wasmio::detail
