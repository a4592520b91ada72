// Lowering: validated Wasm bodies -> register-based threaded code (see lowered_code.h and
// docs/design/0003-lowered-code-and-interpreter.md).
//
// One pass per function with a validation-style model of the operand stack. A stack entry is
// either a value in its natural slot (locals + height), an alias of a local (local.get is
// folded: consumers read the local's slot directly) or a constant (folded into immediate forms).
// Aliases and constants are materialised into their natural slots where the model would
// otherwise lie: before a local.set clobbers an aliased local, and at every control-flow merge.
#include "lower/lower.h"

#include "decode/instr_reader.h"
#include "lower/lowered_code.h"
#include "lower/lowered_ops.h"
#include "validate/signatures.h"

namespace wasmio::detail {

std::uint32_t LoweredFunction::binary_offset_at(std::uint32_t code_index) const noexcept {
  // The last entry at or before code_index.
  std::uint32_t lo = 0;
  std::uint32_t hi = static_cast<std::uint32_t>(pc_map.size());
  while (lo < hi) {
    std::uint32_t mid = (lo + hi) / 2;
    if (pc_map[mid].code_index <= code_index) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo == 0 ? body_offset : pc_map[lo - 1].binary_offset;
}

void destroy_lowered_module(LoweredModule* lowered) noexcept { hook_delete(lowered); }

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr std::uint32_t kSafePointWords = 2;  // handler word + the region's instruction count

enum class EntryKind : std::uint8_t { kSlot, kLocal, kConst };

struct StackEntry {
  EntryKind kind = EntryKind::kSlot;
  std::uint32_t local_slot = 0;  // kLocal
  std::uint64_t value = 0;       // kConst (raw bits, i32/f32 zero-extended)
};

enum class FrameKind : std::uint8_t { kFunction, kBlock, kLoop, kIf, kElse };

struct Patch {
  std::uint32_t word;      // the offset word to fill
  std::uint32_t op_start;  // offsets are relative to the operation's start
};

struct ControlFrame {
  FrameKind kind = FrameKind::kBlock;
  std::uint32_t height = 0;  // operand height below the block's params
  std::uint32_t params = 0;
  std::uint32_t results = 0;
  // A loop's safe point. br_table jumps to it; the other branches use their `_loop` variants,
  // which jump just past it and charge the loop's region themselves.
  std::uint32_t loop_start = 0;
  Patch else_patch{kNone, 0};    // an if's jump to its else/end
  Vec<Patch> patches;            // forward branches to the end
};

// Fuel regions: a safe point charges the instructions of the code it opens (up to the next
// safe point or the end of its loop, nested loops excluded).
struct Region {
  std::uint32_t count_word;
  std::uint32_t count;
};

bool can_trap_or_call(Opcode op) {
  const OpcodeInfo& info = opcode_info(op);
  if (info.access_bytes != 0) return true;  // loads and stores
  switch (op) {
    case Opcode::unreachable: case Opcode::call: case Opcode::call_indirect:
    case Opcode::i32_div_s: case Opcode::i32_div_u: case Opcode::i32_rem_s: case Opcode::i32_rem_u:
    case Opcode::i64_div_s: case Opcode::i64_div_u: case Opcode::i64_rem_s: case Opcode::i64_rem_u:
    case Opcode::i32_trunc_f32_s: case Opcode::i32_trunc_f32_u: case Opcode::i32_trunc_f64_s:
    case Opcode::i32_trunc_f64_u: case Opcode::i64_trunc_f32_s: case Opcode::i64_trunc_f32_u:
    case Opcode::i64_trunc_f64_s: case Opcode::i64_trunc_f64_u:
    case Opcode::table_get: case Opcode::table_set: case Opcode::table_init:
    case Opcode::table_copy: case Opcode::table_fill: case Opcode::memory_init:
    case Opcode::memory_copy: case Opcode::memory_fill:
      return true;
    default:
      return false;
  }
}

// The immediate form of a binary operation whose right operand is a constant.
LoweredOp immediate_form(Opcode op) {
  switch (op) {
    case Opcode::i32_add: return LoweredOp::i32_add_imm;
    case Opcode::i32_mul: return LoweredOp::i32_mul_imm;
    case Opcode::i32_and: return LoweredOp::i32_and_imm;
    case Opcode::i32_or: return LoweredOp::i32_or_imm;
    case Opcode::i32_xor: return LoweredOp::i32_xor_imm;
    case Opcode::i32_shl: return LoweredOp::i32_shl_imm;
    case Opcode::i32_shr_s: return LoweredOp::i32_shr_s_imm;
    case Opcode::i32_shr_u: return LoweredOp::i32_shr_u_imm;
    case Opcode::i32_rotl: return LoweredOp::i32_rotl_imm;
    case Opcode::i32_rotr: return LoweredOp::i32_rotr_imm;
    case Opcode::i32_eq: return LoweredOp::i32_eq_imm;
    case Opcode::i32_ne: return LoweredOp::i32_ne_imm;
    case Opcode::i32_lt_s: return LoweredOp::i32_lt_s_imm;
    case Opcode::i32_lt_u: return LoweredOp::i32_lt_u_imm;
    case Opcode::i32_gt_s: return LoweredOp::i32_gt_s_imm;
    case Opcode::i32_gt_u: return LoweredOp::i32_gt_u_imm;
    case Opcode::i32_le_s: return LoweredOp::i32_le_s_imm;
    case Opcode::i32_le_u: return LoweredOp::i32_le_u_imm;
    case Opcode::i32_ge_s: return LoweredOp::i32_ge_s_imm;
    case Opcode::i32_ge_u: return LoweredOp::i32_ge_u_imm;
    case Opcode::i64_add: return LoweredOp::i64_add_imm;
    case Opcode::i64_mul: return LoweredOp::i64_mul_imm;
    case Opcode::i64_and: return LoweredOp::i64_and_imm;
    case Opcode::i64_or: return LoweredOp::i64_or_imm;
    case Opcode::i64_xor: return LoweredOp::i64_xor_imm;
    case Opcode::i64_shl: return LoweredOp::i64_shl_imm;
    case Opcode::i64_shr_s: return LoweredOp::i64_shr_s_imm;
    case Opcode::i64_shr_u: return LoweredOp::i64_shr_u_imm;
    case Opcode::i64_rotl: return LoweredOp::i64_rotl_imm;
    case Opcode::i64_rotr: return LoweredOp::i64_rotr_imm;
    case Opcode::i64_eq: return LoweredOp::i64_eq_imm;
    case Opcode::i64_ne: return LoweredOp::i64_ne_imm;
    case Opcode::i64_lt_s: return LoweredOp::i64_lt_s_imm;
    case Opcode::i64_lt_u: return LoweredOp::i64_lt_u_imm;
    case Opcode::i64_gt_s: return LoweredOp::i64_gt_s_imm;
    case Opcode::i64_gt_u: return LoweredOp::i64_gt_u_imm;
    case Opcode::i64_le_s: return LoweredOp::i64_le_s_imm;
    case Opcode::i64_le_u: return LoweredOp::i64_le_u_imm;
    case Opcode::i64_ge_s: return LoweredOp::i64_ge_s_imm;
    case Opcode::i64_ge_u: return LoweredOp::i64_ge_u_imm;
    default: return LoweredOp::kCount;
  }
}

bool is_i32_compare(Opcode op) {
  return op >= Opcode::i32_eq && op <= Opcode::i32_ge_u;
}

// The i32 compare testing the opposite condition (exact for integers).
Opcode negated_compare(Opcode op) {
  switch (op) {
    case Opcode::i32_eq: return Opcode::i32_ne;
    case Opcode::i32_ne: return Opcode::i32_eq;
    case Opcode::i32_lt_s: return Opcode::i32_ge_s;
    case Opcode::i32_lt_u: return Opcode::i32_ge_u;
    case Opcode::i32_gt_s: return Opcode::i32_le_s;
    case Opcode::i32_gt_u: return Opcode::i32_le_u;
    case Opcode::i32_le_s: return Opcode::i32_gt_s;
    case Opcode::i32_le_u: return Opcode::i32_gt_u;
    case Opcode::i32_ge_s: return Opcode::i32_lt_s;
    default: return Opcode::i32_lt_u;  // i32_ge_u
  }
}

LoweredOp fused_branch(Opcode compare, bool immediate) {
  switch (compare) {
    case Opcode::i32_eq: return immediate ? LoweredOp::br_if_i32_eq_imm : LoweredOp::br_if_i32_eq;
    case Opcode::i32_ne: return immediate ? LoweredOp::br_if_i32_ne_imm : LoweredOp::br_if_i32_ne;
    case Opcode::i32_lt_s: return immediate ? LoweredOp::br_if_i32_lt_s_imm : LoweredOp::br_if_i32_lt_s;
    case Opcode::i32_lt_u: return immediate ? LoweredOp::br_if_i32_lt_u_imm : LoweredOp::br_if_i32_lt_u;
    case Opcode::i32_gt_s: return immediate ? LoweredOp::br_if_i32_gt_s_imm : LoweredOp::br_if_i32_gt_s;
    case Opcode::i32_gt_u: return immediate ? LoweredOp::br_if_i32_gt_u_imm : LoweredOp::br_if_i32_gt_u;
    case Opcode::i32_le_s: return immediate ? LoweredOp::br_if_i32_le_s_imm : LoweredOp::br_if_i32_le_s;
    case Opcode::i32_le_u: return immediate ? LoweredOp::br_if_i32_le_u_imm : LoweredOp::br_if_i32_le_u;
    case Opcode::i32_ge_s: return immediate ? LoweredOp::br_if_i32_ge_s_imm : LoweredOp::br_if_i32_ge_s;
    default: return immediate ? LoweredOp::br_if_i32_ge_u_imm : LoweredOp::br_if_i32_ge_u;
  }
}

// The variant of a branch operation that jumps back into a loop body past its safe point and
// does the safe point's work itself (one dispatch less per iteration).
LoweredOp loop_variant(LoweredOp op) {
  switch (op) {
    case LoweredOp::br: return LoweredOp::br_loop;
    case LoweredOp::br_if: return LoweredOp::br_if_loop;
    case LoweredOp::br_if_eqz: return LoweredOp::br_if_eqz_loop;
    case LoweredOp::br_if_i32_eq: return LoweredOp::br_if_i32_eq_loop;
    case LoweredOp::br_if_i32_eq_imm: return LoweredOp::br_if_i32_eq_imm_loop;
    case LoweredOp::br_if_i32_ne: return LoweredOp::br_if_i32_ne_loop;
    case LoweredOp::br_if_i32_ne_imm: return LoweredOp::br_if_i32_ne_imm_loop;
    case LoweredOp::br_if_i32_lt_s: return LoweredOp::br_if_i32_lt_s_loop;
    case LoweredOp::br_if_i32_lt_s_imm: return LoweredOp::br_if_i32_lt_s_imm_loop;
    case LoweredOp::br_if_i32_lt_u: return LoweredOp::br_if_i32_lt_u_loop;
    case LoweredOp::br_if_i32_lt_u_imm: return LoweredOp::br_if_i32_lt_u_imm_loop;
    case LoweredOp::br_if_i32_gt_s: return LoweredOp::br_if_i32_gt_s_loop;
    case LoweredOp::br_if_i32_gt_s_imm: return LoweredOp::br_if_i32_gt_s_imm_loop;
    case LoweredOp::br_if_i32_gt_u: return LoweredOp::br_if_i32_gt_u_loop;
    case LoweredOp::br_if_i32_gt_u_imm: return LoweredOp::br_if_i32_gt_u_imm_loop;
    case LoweredOp::br_if_i32_le_s: return LoweredOp::br_if_i32_le_s_loop;
    case LoweredOp::br_if_i32_le_s_imm: return LoweredOp::br_if_i32_le_s_imm_loop;
    case LoweredOp::br_if_i32_le_u: return LoweredOp::br_if_i32_le_u_loop;
    case LoweredOp::br_if_i32_le_u_imm: return LoweredOp::br_if_i32_le_u_imm_loop;
    case LoweredOp::br_if_i32_ge_s: return LoweredOp::br_if_i32_ge_s_loop;
    case LoweredOp::br_if_i32_ge_s_imm: return LoweredOp::br_if_i32_ge_s_imm_loop;
    case LoweredOp::br_if_i32_ge_u: return LoweredOp::br_if_i32_ge_u_loop;
    case LoweredOp::br_if_i32_ge_u_imm: return LoweredOp::br_if_i32_ge_u_imm_loop;
    default: return LoweredOp::kCount;
  }
}

// A condition computed by the operation just emitted, which a following br_if/if may absorb.
struct PendingCondition {
  bool valid = false;
  std::uint32_t start = 0;  // code index of the compare operation
  Opcode op = Opcode::i32_eq;  // an i32 compare, or i32_eqz
  bool immediate = false;
  std::uint32_t a = 0;
  std::uint32_t b = 0;  // slot, or the immediate
};

class FunctionLowering {
 public:
  FunctionLowering(const Module::Impl& m, std::uint32_t defined_index,
                   LoweredFunction& out)
      : m_(m), body_(m.bodies[defined_index]), out_(out), code_(out.code),
        handlers_(interpreter_handler_offsets()) {
    out_.function_index = m.imported_function_count + defined_index;
    FuncType type = m.function_type(out_.function_index);
    out_.param_slots = static_cast<std::uint32_t>(type.params.size());
    out_.result_slots = static_cast<std::uint32_t>(type.results.size());
    locals_ = out_.param_slots + static_cast<std::uint32_t>(body_.local_total);
    out_.local_slots = locals_;
    out_.body_offset = body_.body.offset;
    out_.wasm_bytes = body_.body.size;
  }

  Expected<void> run() {
    ByteReader file(m_.bytes);
    ByteReader r = file.nested(body_.code_offset, body_.code_end);

    ControlFrame fn;
    fn.kind = FrameKind::kFunction;
    fn.results = out_.result_slots;
    ctrl_.push_back(static_cast<ControlFrame&&>(fn));
    offset_ = body_.code_offset;
    open_region();

    while (!r.at_end()) {
      auto decoded = read_instr(r);
      if (!decoded) return Unexpected{decoded.error()};
      const Instr& in = *decoded;
      offset_ = in.offset;
      if (dead_) {
        skip_dead(in);
        if (ctrl_.empty()) break;
        continue;
      }
      ++regions_.back().count;
      WASMIO_TRY(lower(in, r));
      if (ctrl_.empty()) break;
      if (code_.size() >= 0x7FFFFFF0u) return unexpected(ErrorCode::kImplementationLimit, in.offset);
    }
    out_.frame_slots = locals_ + max_height_;
    code_.shrink_to_fit();
    out_.pc_map.shrink_to_fit();
    return {};
  }

 private:
  // ---- emission --------------------------------------------------------------------------

  std::uint32_t pos() const { return static_cast<std::uint32_t>(code_.size()); }
  void word(std::uint32_t w) { code_.push_back(w); }

  std::uint32_t emit(LoweredOp op, bool map = false) {
    last_result_word_ = kNone;
    condition_.valid = false;
    last_copy_ = kNone;
    last_op_ = op;
    std::uint32_t start = pos();
    if (map) out_.pc_map.push_back(PcMapEntry{start, offset_});
    code_.push_back(static_cast<std::uint32_t>(handlers_[static_cast<unsigned>(op)]));
    return start;
  }
  void emit_branch_to(std::uint32_t start, std::uint32_t target) {
    word(static_cast<std::uint32_t>(static_cast<std::int32_t>(target) - static_cast<std::int32_t>(start)));
  }
  // Offsets of labels not yet bound: recorded, filled when the label is bound.
  void emit_forward(std::uint32_t start, Vec<Patch>& patches) {
    patches.push_back(Patch{pos(), start});
    word(0);
  }
  void bind(const Patch& p, std::uint32_t target) {
    if (target == pos()) label_at_ = target;
    code_[p.word] = static_cast<std::uint32_t>(static_cast<std::int32_t>(target) - static_cast<std::int32_t>(p.op_start));
  }

  void open_region() {
    emit(LoweredOp::safe_point, /*map=*/true);  // fuel/stop traps report the loop or the entry
    regions_.push_back(Region{pos(), 0});
    word(0);
  }
  void close_region() {
    code_[regions_.back().count_word] = regions_.back().count;
    regions_.pop_back();
  }

  // ---- the operand stack model -----------------------------------------------------------

  std::uint32_t height() const { return static_cast<std::uint32_t>(stack_.size()); }
  std::uint32_t natural(std::uint32_t h) const { return locals_ + h; }

  void note_height() {
    if (height() > max_height_) max_height_ = height();
  }
  std::uint32_t push_slot() {
    stack_.push_back(StackEntry{});
    note_height();
    return natural(height() - 1);
  }
  void push_const(std::uint64_t bits) {
    StackEntry e;
    e.kind = EntryKind::kConst;
    e.value = bits;
    stack_.push_back(e);
    note_height();
  }
  void push_local(std::uint32_t local) {
    StackEntry e;
    e.kind = EntryKind::kLocal;
    e.local_slot = local;
    stack_.push_back(e);
    note_height();
  }

  void emit_const(std::uint32_t dst, std::uint64_t bits) {
    if (bits <= 0xFFFFFFFFu) {
      emit(LoweredOp::i32_const);
      word(dst);
      word(static_cast<std::uint32_t>(bits));
    } else {
      emit(LoweredOp::i64_const);
      word(dst);
      word(static_cast<std::uint32_t>(bits));
      word(static_cast<std::uint32_t>(bits >> 32));
    }
  }
  // Consecutive copies (call arguments, branch values) share one dispatch as copy2, unless a
  // label separates them.
  void emit_copy(std::uint32_t dst, std::uint32_t src) {
    if (dst == src) return;
    if (last_copy_ != kNone && last_copy_ + 3 == pos() && label_at_ != pos()) {
      code_[last_copy_] = static_cast<std::uint32_t>(handlers_[static_cast<unsigned>(LoweredOp::copy2)]);
      word(dst);
      word(src);
      last_copy_ = kNone;
      last_result_word_ = kNone;
      condition_.valid = false;
      return;
    }
    std::uint32_t start = emit(LoweredOp::copy);
    word(dst);
    word(src);
    last_copy_ = start;
  }

  // Puts entry i into its natural slot.
  void materialise(std::uint32_t i) {
    StackEntry& e = stack_[i];
    if (e.kind == EntryKind::kLocal) {
      emit_copy(natural(i), e.local_slot);
    } else if (e.kind == EntryKind::kConst) {
      emit_const(natural(i), e.value);
    }
    e.kind = EntryKind::kSlot;
  }
  void materialise_all() {
    for (std::uint32_t i = 0; i < height(); ++i) materialise(i);
  }
  void materialise_aliases_of(std::uint32_t local) {
    for (std::uint32_t i = 0; i < height(); ++i) {
      if (stack_[i].kind == EntryKind::kLocal && stack_[i].local_slot == local) materialise(i);
    }
  }

  // The slot an entry's value can be read from (constants are materialised first).
  std::uint32_t read_slot(std::uint32_t i) {
    if (stack_[i].kind == EntryKind::kConst) materialise(i);
    return stack_[i].kind == EntryKind::kLocal ? stack_[i].local_slot : natural(i);
  }
  std::uint32_t pop_slot() {
    std::uint32_t s = read_slot(height() - 1);
    stack_.pop_back();
    return s;
  }

  // ---- control ---------------------------------------------------------------------------

  void block_arity(const BlockType& bt, std::uint32_t& params, std::uint32_t& results) const {
    params = 0;
    results = 0;
    if (bt.kind == BlockTypeKind::kValue) {
      results = 1;
    } else if (bt.kind == BlockTypeKind::kTypeIndex) {
      const FuncType& t = m_.types[bt.type_index];
      params = static_cast<std::uint32_t>(t.params.size());
      results = static_cast<std::uint32_t>(t.results.size());
    }
  }

  ControlFrame& frame_at_depth(std::uint32_t depth) { return ctrl_[ctrl_.size() - 1 - depth]; }

  // Values a branch to `target` carries, and where they go.
  std::uint32_t branch_arity(const ControlFrame& target) const {
    return target.kind == FrameKind::kLoop ? target.params : target.results;
  }
  bool branch_needs_copies(const ControlFrame& target) const {
    std::uint32_t n = branch_arity(target);
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t h = height() - n + i;
      if (stack_[h].kind != EntryKind::kSlot || h != target.height + i) return true;
    }
    return false;
  }
  void emit_branch_copies(const ControlFrame& target) {
    std::uint32_t n = branch_arity(target);
    // Ascending order is safe: every destination is at or below its source.
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t h = height() - n + i;
      std::uint32_t dst = natural(target.height + i);
      const StackEntry& e = stack_[h];
      if (e.kind == EntryKind::kConst) {
        emit_const(dst, e.value);
      } else {
        emit_copy(dst, e.kind == EntryKind::kLocal ? e.local_slot : natural(h));
      }
    }
  }
  void emit_jump_target(std::uint32_t start, ControlFrame& target) {
    if (target.kind == FrameKind::kLoop) {
      code_[start] = static_cast<std::uint32_t>(handlers_[static_cast<unsigned>(loop_variant(last_op_))]);
      emit_branch_to(start, target.loop_start + kSafePointWords);
    } else {
      emit_forward(start, target.patches);
    }
  }

  // Copies the results to slots 0..n-1 and returns. Leaves the stack model untouched (it may
  // be emitted on a conditional path).
  void emit_return() {
    std::uint32_t n = out_.result_slots;
    if (n == 1) {
      const StackEntry& e = stack_.back();
      if (e.kind == EntryKind::kConst) {
        emit_const(0, e.value);
        emit(LoweredOp::return_);
        return;
      }
      emit(LoweredOp::return_1);
      word(e.kind == EntryKind::kLocal ? e.local_slot : natural(height() - 1));
      return;
    }
    // Aliases and constants first go to their natural slots (which lie above every local), so
    // the final moves cannot read a result slot that was already overwritten.
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t h = height() - n + i;
      const StackEntry& e = stack_[h];
      if (e.kind == EntryKind::kLocal) emit_copy(natural(h), e.local_slot);
      if (e.kind == EntryKind::kConst) emit_const(natural(h), e.value);
    }
    // Results move down to slots 0..n-1; ascending is safe (destination <= source).
    for (std::uint32_t i = 0; i < n; ++i) emit_copy(i, natural(height() - n + i));
    emit(LoweredOp::return_);
  }

  void become_dead() {
    dead_ = true;
    dead_depth_ = 0;
  }

  // Unconditional branch to depth (br, and each br_table target).
  void emit_br(std::uint32_t depth) {
    if (depth == ctrl_.size() - 1) {
      emit_return();
      return;
    }
    ControlFrame& target = frame_at_depth(depth);
    emit_branch_copies(target);
    std::uint32_t start = emit(LoweredOp::br);
    emit_jump_target(start, target);
  }

  // Takes back the compare just emitted, when the condition on top of the stack is its result.
  bool take_condition(PendingCondition& c) {
    if (!condition_.valid || stack_.back().kind != EntryKind::kSlot ||
        last_result_word_ == kNone || code_[last_result_word_] != natural(height() - 1)) {
      return false;
    }
    c = condition_;
    code_.resize(c.start);
    condition_.valid = false;
    last_result_word_ = kNone;
    stack_.pop_back();
    return true;
  }

  // Emits "branch when `c` holds" (negate: when it does not) and returns the operation start.
  std::uint32_t emit_conditional_branch(const PendingCondition& c, bool negate) {
    std::uint32_t start;
    if (c.op == Opcode::i32_eqz) {
      start = emit(negate ? LoweredOp::br_if : LoweredOp::br_if_eqz);
      word(c.a);
    } else {
      Opcode op = negate ? negated_compare(c.op) : c.op;
      start = emit(fused_branch(op, c.immediate));
      word(c.a);
      word(c.b);
    }
    return start;
  }
  // Pops the i32 condition and emits "branch when it is non-zero" (negate: zero).
  std::uint32_t emit_branch_on_top(bool negate, bool materialise_rest) {
    PendingCondition c;
    if (take_condition(c)) {
      if (materialise_rest) materialise_all();
      return emit_conditional_branch(c, negate);
    }
    std::uint32_t cond = pop_slot();
    if (materialise_rest) materialise_all();
    std::uint32_t start = emit(negate ? LoweredOp::br_if_eqz : LoweredOp::br_if);
    word(cond);
    return start;
  }

  void lower_br_if(std::uint32_t depth) {
    bool to_function = depth == ctrl_.size() - 1;
    ControlFrame& target = frame_at_depth(depth);
    // After popping the condition, can the values stay where they are?
    StackEntry cond_entry = stack_.back();
    stack_.pop_back();
    bool copies = to_function || branch_needs_copies(target);
    stack_.push_back(cond_entry);
    if (!copies) {
      std::uint32_t start = emit_branch_on_top(false, false);
      emit_jump_target(start, target);
      return;
    }
    // Branch around the copies when the condition is false.
    std::uint32_t start = emit_branch_on_top(true, false);
    Patch skip{pos(), start};
    word(0);
    if (to_function) {
      emit_return();
    } else {
      emit_branch_copies(target);
      std::uint32_t br_start = emit(LoweredOp::br);
      emit_jump_target(br_start, target);
    }
    bind(skip, pos());
    last_result_word_ = kNone;
    condition_.valid = false;
  }

  void lower_br_table(const Instr& in, ByteReader& body) {
    std::uint32_t cond = pop_slot();
    ByteReader targets = br_table_targets(body, in);
    Vec<std::uint32_t> depths;
    depths.reserve(in.count + 1);
    for (std::uint32_t i = 0; i <= in.count; ++i) depths.push_back(*targets.u32());
    std::uint32_t start = emit(LoweredOp::br_table);
    word(cond);
    word(in.count);
    std::uint32_t table = pos();
    for (std::uint32_t i = 0; i <= in.count; ++i) word(0);
    // Targets needing no copies jump directly; the others go through a stub (copies + br).
    for (std::uint32_t i = 0; i <= in.count; ++i) {
      std::uint32_t depth = depths[i];
      Patch entry{table + i, start};
      bool to_function = depth == ctrl_.size() - 1;
      ControlFrame& target = frame_at_depth(depth);
      if (!to_function && !branch_needs_copies(target)) {
        if (target.kind == FrameKind::kLoop) {
          bind(entry, target.loop_start);
        } else {
          target.patches.push_back(entry);
        }
        continue;
      }
      // Reuse a stub of an earlier entry with the same depth.
      bool reused = false;
      for (std::uint32_t j = 0; j < i; ++j) {
        if (depths[j] == depth) {
          code_[table + i] = code_[table + j];
          reused = true;
          break;
        }
      }
      if (reused) continue;
      bind(entry, pos());
      emit_br(depth);
    }
  }

  // ---- calls -----------------------------------------------------------------------------

  void lower_call(std::uint32_t function_index) {
    FuncType type = m_.function_type(function_index);
    std::uint32_t params = static_cast<std::uint32_t>(type.params.size());
    std::uint32_t results = static_cast<std::uint32_t>(type.results.size());
    materialise_all();
    std::uint32_t base = natural(height() - params);
    if (function_index >= m_.imported_function_count) {
      emit(LoweredOp::call_internal, true);
      word(function_index - m_.imported_function_count);
    } else {
      emit(LoweredOp::call, true);
      word(function_index);
    }
    word(base);
    stack_.resize(height() - params);
    for (std::uint32_t i = 0; i < results; ++i) push_slot();
  }

  void lower_call_indirect(const Instr& in) {
    const FuncType& type = m_.types[in.index];
    std::uint32_t params = static_cast<std::uint32_t>(type.params.size());
    std::uint32_t results = static_cast<std::uint32_t>(type.results.size());
    std::uint32_t element = pop_slot();
    materialise_all();
    std::uint32_t base = natural(height() - params);
    emit(LoweredOp::call_indirect, true);
    word(in.index);
    word(in.index2);
    word(element);
    word(base);
    stack_.resize(height() - params);
    for (std::uint32_t i = 0; i < results; ++i) push_slot();
  }

  // ---- plain instructions ----------------------------------------------------------------

  // Pops `n` operands (first operand deepest) into slots[].
  void pop_operands(std::uint32_t n, std::uint32_t* slots) {
    for (std::uint32_t i = n; i-- > 0;) slots[i] = pop_slot();
  }

  void note_result(std::uint32_t dst_word) { last_result_word_ = dst_word; }

  void lower_numeric(Opcode op) {
    const Signature& sig = signature(op);
    const std::uint32_t params = sig.param_count();
    const bool has_result = sig.result_count() != 0;
    bool map = can_trap_or_call(op);

    if (params == 2 && has_result && stack_.back().kind == EntryKind::kConst &&
        stack_[height() - 2].kind != EntryKind::kConst) {
      std::uint64_t imm = stack_.back().value;
      LoweredOp form = immediate_form(op);
      if (op == Opcode::i32_sub) {
        form = LoweredOp::i32_add_imm;
        imm = static_cast<std::uint32_t>(0u - static_cast<std::uint32_t>(imm));
      } else if (op == Opcode::i64_sub) {
        form = LoweredOp::i64_add_imm;
        imm = 0 - imm;
      }
      if (form != LoweredOp::kCount) {
        stack_.pop_back();
        std::uint32_t a = pop_slot();
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(form);
        word(dst);
        word(a);
        word(static_cast<std::uint32_t>(imm));
        bool wide = sig.param(0) == ValType::kI64;
        if (wide) word(static_cast<std::uint32_t>(imm >> 32));
        note_result(start + 1);
        if (is_i32_compare(op)) {
          condition_ = PendingCondition{true, start, op, true, a, static_cast<std::uint32_t>(imm)};
        }
        return;
      }
    }

    std::uint32_t operands[3] = {0, 0, 0};
    pop_operands(params, operands);
    if (has_result) {
      std::uint32_t dst = push_slot();
      std::uint32_t start = emit(lowered_op(op), map);
      word(dst);
      for (std::uint32_t i = 0; i < params; ++i) word(operands[i]);
      note_result(start + 1);
      if (is_i32_compare(op)) {
        condition_ = PendingCondition{true, start, op, false, operands[0], operands[1]};
      } else if (op == Opcode::i32_eqz) {
        condition_ = PendingCondition{true, start, op, false, operands[0], 0};
      }
    } else {
      emit(lowered_op(op), map);
      for (std::uint32_t i = 0; i < params; ++i) word(operands[i]);
    }
  }

  void lower_load(const Instr& in) {
    std::uint32_t addr = pop_slot();
    std::uint32_t dst = push_slot();
    std::uint32_t start = emit(lowered_op(in.op), true);
    word(dst);
    word(addr);
    word(in.mem_offset);
    note_result(start + 1);
  }
  void lower_store(const Instr& in) {
    std::uint32_t value = pop_slot();
    std::uint32_t addr = pop_slot();
    emit(lowered_op(in.op), true);
    word(addr);
    word(value);
    word(in.mem_offset);
  }

  void lower_local_set(std::uint32_t local, bool tee) {
    // Retarget the operation that produced the value to write the local directly.
    bool aliased = false;
    for (std::uint32_t i = 0; i + 1 < height(); ++i) {
      if (stack_[i].kind == EntryKind::kLocal && stack_[i].local_slot == local) aliased = true;
    }
    StackEntry top = stack_.back();
    if (!aliased && top.kind == EntryKind::kSlot && last_result_word_ != kNone &&
        code_[last_result_word_] == natural(height() - 1)) {
      code_[last_result_word_] = local;
      last_result_word_ = kNone;
      condition_.valid = false;
      stack_.pop_back();
    } else {
      stack_.pop_back();
      if (aliased) materialise_aliases_of(local);
      if (top.kind == EntryKind::kConst) {
        emit_const(local, top.value);
      } else {
        emit_copy(local, top.kind == EntryKind::kLocal ? top.local_slot : natural(height()));
      }
      last_result_word_ = kNone;
      condition_.valid = false;
    }
    if (tee) push_local(local);
  }

  Expected<void> lower(const Instr& in, ByteReader& body) {
    switch (in.op) {
      case Opcode::nop:
        return {};
      case Opcode::unreachable:
        emit(LoweredOp::unreachable, true);
        become_dead();
        return {};

      case Opcode::block:
      case Opcode::loop: {
        ControlFrame f;
        f.kind = in.op == Opcode::block ? FrameKind::kBlock : FrameKind::kLoop;
        block_arity(in.block, f.params, f.results);
        materialise_all();
        f.height = height() - f.params;
        if (f.kind == FrameKind::kLoop) {
          f.loop_start = pos();
          open_region();
        }
        ctrl_.push_back(static_cast<ControlFrame&&>(f));
        last_result_word_ = kNone;
        condition_.valid = false;
        return {};
      }
      case Opcode::if_: {
        ControlFrame f;
        f.kind = FrameKind::kIf;
        block_arity(in.block, f.params, f.results);
        std::uint32_t start = emit_branch_on_top(true, true);
        f.else_patch = Patch{pos(), start};
        word(0);
        f.height = height() - f.params;
        ctrl_.push_back(static_cast<ControlFrame&&>(f));
        last_result_word_ = kNone;
        return {};
      }
      case Opcode::else_: {
        ControlFrame& f = ctrl_.back();
        materialise_all();
        std::uint32_t start = emit(LoweredOp::br);
        emit_forward(start, f.patches);
        enter_else(f);
        return {};
      }
      case Opcode::end:
        end_frame(/*reachable=*/true);
        return {};

      case Opcode::br:
        emit_br(in.index);
        become_dead();
        return {};
      case Opcode::br_if:
        lower_br_if(in.index);
        return {};
      case Opcode::br_table:
        lower_br_table(in, body);
        become_dead();
        return {};
      case Opcode::return_:
        emit_return();
        become_dead();
        return {};
      case Opcode::call:
        lower_call(in.index);
        return {};
      case Opcode::call_indirect:
        lower_call_indirect(in);
        return {};

      case Opcode::drop:
        stack_.pop_back();
        return {};
      case Opcode::select:
      case Opcode::select_t: {
        std::uint32_t operands[3];
        pop_operands(3, operands);
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::select);
        word(dst);
        word(operands[0]);
        word(operands[1]);
        word(operands[2]);
        note_result(start + 1);
        return {};
      }

      case Opcode::local_get:
        push_local(in.index);
        return {};
      case Opcode::local_set:
        lower_local_set(in.index, false);
        return {};
      case Opcode::local_tee:
        lower_local_set(in.index, true);
        return {};
      case Opcode::global_get: {
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::global_get);
        word(dst);
        word(in.index);
        note_result(start + 1);
        return {};
      }
      case Opcode::global_set: {
        std::uint32_t src = pop_slot();
        emit(LoweredOp::global_set);
        word(in.index);
        word(src);
        return {};
      }

      case Opcode::i32_const:
      case Opcode::f32_const:
        push_const(static_cast<std::uint32_t>(in.bits));
        return {};
      case Opcode::i64_const:
      case Opcode::f64_const:
        push_const(in.bits);
        return {};
      case Opcode::ref_null:
        push_const(0);
        return {};
      case Opcode::ref_is_null: {
        std::uint32_t src = pop_slot();
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::ref_is_null);
        word(dst);
        word(src);
        note_result(start + 1);
        return {};
      }
      case Opcode::ref_func: {
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::ref_func);
        word(dst);
        word(in.index);
        note_result(start + 1);
        return {};
      }

      case Opcode::table_get: {
        std::uint32_t index = pop_slot();
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::table_get, true);
        word(dst);
        word(in.index);
        word(index);
        note_result(start + 1);
        return {};
      }
      case Opcode::table_set: {
        std::uint32_t operands[2];
        pop_operands(2, operands);
        emit(LoweredOp::table_set, true);
        word(in.index);
        word(operands[0]);
        word(operands[1]);
        return {};
      }
      case Opcode::table_size: {
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::table_size);
        word(dst);
        word(in.index);
        note_result(start + 1);
        return {};
      }
      case Opcode::table_grow: {
        std::uint32_t operands[2];  // init, delta
        pop_operands(2, operands);
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::table_grow);
        word(dst);
        word(in.index);
        word(operands[0]);
        word(operands[1]);
        note_result(start + 1);
        return {};
      }
      case Opcode::table_fill: {
        std::uint32_t operands[3];  // index, value, count
        pop_operands(3, operands);
        emit(LoweredOp::table_fill, true);
        word(in.index);
        for (std::uint32_t s : operands) word(s);
        return {};
      }
      case Opcode::table_copy: {
        std::uint32_t operands[3];
        pop_operands(3, operands);
        emit(LoweredOp::table_copy, true);
        word(in.index);
        word(in.index2);
        for (std::uint32_t s : operands) word(s);
        return {};
      }
      case Opcode::table_init: {
        std::uint32_t operands[3];
        pop_operands(3, operands);
        emit(LoweredOp::table_init, true);
        word(in.index);
        word(in.index2);
        for (std::uint32_t s : operands) word(s);
        return {};
      }
      case Opcode::elem_drop:
        emit(LoweredOp::elem_drop);
        word(in.index);
        return {};

      case Opcode::memory_size: {
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::memory_size);
        word(dst);
        note_result(start + 1);
        return {};
      }
      case Opcode::memory_grow: {
        std::uint32_t delta = pop_slot();
        std::uint32_t dst = push_slot();
        std::uint32_t start = emit(LoweredOp::memory_grow);
        word(dst);
        word(delta);
        note_result(start + 1);
        return {};
      }
      case Opcode::memory_fill:
      case Opcode::memory_copy: {
        std::uint32_t operands[3];
        pop_operands(3, operands);
        emit(lowered_op(in.op), true);
        for (std::uint32_t s : operands) word(s);
        return {};
      }
      case Opcode::memory_init: {
        std::uint32_t operands[3];
        pop_operands(3, operands);
        emit(LoweredOp::memory_init, true);
        word(in.index);
        for (std::uint32_t s : operands) word(s);
        return {};
      }
      case Opcode::data_drop:
        emit(LoweredOp::data_drop);
        word(in.index);
        return {};

      default:
        break;
    }
    const OpcodeInfo& info = opcode_info(in.op);
    if (info.imm == ImmKind::kMemArg) {
      if (signature(in.op).result_count() != 0) {  // a load
        lower_load(in);
      } else {
        lower_store(in);
      }
      return {};
    }
    lower_numeric(in.op);
    return {};
  }

  void enter_else(ControlFrame& f) {
    bind(f.else_patch, pos());
    f.else_patch.word = kNone;
    f.kind = FrameKind::kElse;
    stack_.resize(f.height);
    for (std::uint32_t i = 0; i < f.params; ++i) push_slot();
    last_result_word_ = kNone;
    condition_.valid = false;
  }

  void end_frame(bool reachable) {
    ControlFrame& f = ctrl_.back();
    if (f.kind == FrameKind::kFunction) {
      if (reachable) emit_return();
      close_region();
      ctrl_.pop_back();
      return;
    }
    if (reachable) materialise_all();
    std::uint32_t here = pos();
    if (f.kind == FrameKind::kIf) bind(f.else_patch, here);  // no else: false goes to the end
    for (const Patch& p : f.patches) bind(p, here);
    if (f.kind == FrameKind::kLoop) close_region();
    std::uint32_t base = f.height;
    std::uint32_t results = f.results;
    ctrl_.pop_back();
    stack_.resize(base);
    for (std::uint32_t i = 0; i < results; ++i) push_slot();
    last_result_word_ = kNone;
    condition_.valid = false;
  }

  // Unreachable code: only the block structure matters.
  void skip_dead(const Instr& in) {
    switch (in.op) {
      case Opcode::block: case Opcode::loop: case Opcode::if_:
        ++dead_depth_;
        return;
      case Opcode::else_:
        if (dead_depth_ == 0) {
          dead_ = false;
          enter_else(ctrl_.back());
        }
        return;
      case Opcode::end:
        if (dead_depth_ > 0) {
          --dead_depth_;
          return;
        }
        dead_ = false;
        end_frame(/*reachable=*/false);
        return;
      default:
        return;
    }
  }

  const Module::Impl& m_;
  const FunctionBody& body_;
  LoweredFunction& out_;
  Vec<std::uint32_t>& code_;
  const std::int32_t* handlers_;

  std::uint32_t locals_ = 0;
  std::uint32_t max_height_ = 0;
  std::uint32_t offset_ = 0;  // binary offset of the instruction being lowered
  Vec<StackEntry> stack_;
  Vec<ControlFrame> ctrl_;
  Vec<Region> regions_;
  bool dead_ = false;
  std::uint32_t dead_depth_ = 0;
  std::uint32_t last_result_word_ = kNone;  // dst word of the op that produced the top value
  LoweredOp last_op_ = LoweredOp::kCount;   // the operation emitted last
  std::uint32_t last_copy_ = kNone;         // start of the last operation if it is a lone copy
  std::uint32_t label_at_ = kNone;          // the latest label bound to the end of the code
  PendingCondition condition_;
};

}  // namespace

Expected<void> lower_module(Module::Impl& m) {
  auto* lowered = hook_new<LoweredModule>();
  lowered->imported_function_count = m.imported_function_count;
  lowered->functions.resize(m.bodies.size());
  for (std::uint32_t i = 0; i < m.bodies.size(); ++i) {
    lowered->functions[i].module = lowered;
    FunctionLowering lowering(m, i, lowered->functions[i]);
    auto done = lowering.run();
    if (!done) {
      hook_delete(lowered);
      return Unexpected{done.error()};
    }
  }
  destroy_lowered_module(m.lowered);
  m.lowered = lowered;
  return {};
}

}  // namespace wasmio::detail
