// The AOT emitter: lowered code -> C++ source (docs/design/0015).
//
// One C++ function per defined function, one statement block per lowered operation, branch
// targets as labels. Frame slots become locals `sN`, so the C++ compiler allocates registers;
// the numeric expressions are the interpreter's own (stringified from the same spelling below,
// evaluated with the same helpers of exec/interpreter_numeric.h). The operation kinds are read
// back from the handler words via the interpreter's handler table.
#include <charconv>
#include <cstring>
#include <type_traits>

#include "aot/aot_abi.h"
#include "exec/numeric_ops.h"
#include "lower/lowered_ops.h"
#include "module_impl.h"

namespace wasmio {
namespace detail::aot {
namespace {

class Out {
 public:
  Out(AotTextSink sink, void* context) : sink_(sink), context_(context) {}
  Out& operator<<(std::string_view text) {
    sink_(context_, text);
    return *this;
  }
  Out& operator<<(const char* text) { return *this << std::string_view(text); }
  // Any integer (unsigned, unsigned long and unsigned long long differ between targets).
  template <typename T>
    requires std::is_integral_v<T>
  Out& operator<<(T v) {
    if constexpr (std::is_signed_v<T>) {
      if (v < 0) {
        *this << "-";
        return *this << static_cast<std::uint64_t>(-static_cast<std::int64_t>(v));
      }
    }
    char b[24];
    const auto r = std::to_chars(b, b + sizeof b, static_cast<std::uint64_t>(v));
    return *this << std::string_view(b, static_cast<std::size_t>(r.ptr - b));
  }
  // A hex literal.
  Out& hex(std::uint64_t v, bool wide) {
    char b[24];
    const auto r = std::to_chars(b, b + sizeof b, v, 16);
    *this << "0x" << std::string_view(b, static_cast<std::size_t>(r.ptr - b));
    return *this << (wide ? "ull" : "u");
  }

 private:
  AotTextSink sink_;
  void* context_;
};

// Lowered code of one function and what the emitter needs about it.
class FunctionEmitter {
 public:
  FunctionEmitter(Out& out, const Module::Impl& module, const LoweredModule& lowered,
                  std::uint32_t index, const std::int32_t* handlers)
      : o_(out), m_(module), lm_(lowered), fn_(lowered.functions[index]), index_(index),
        handlers_(handlers) {}

  Expected<void> run() {
    const Vec<std::uint32_t>& code = fn_.code;
    const std::uint32_t n = static_cast<std::uint32_t>(code.size());
    is_label_.resize(n + 1);
    for (std::uint32_t i = 0; i < n + 1; ++i) is_label_[i] = 0;
    // Pass 1: operation boundaries and branch targets.
    for (std::uint32_t pc = 0; pc < n;) {
      LoweredOp op = LoweredOp::unreachable;
      if (!decode(pc, &op)) return unexpected(ErrorCode::kImplementationLimit, fn_.body_offset, fn_.function_index);
      const std::uint32_t len = length(op, pc);
      if (len == 0 || pc + len > n) return unexpected(ErrorCode::kImplementationLimit, fn_.body_offset, fn_.function_index);
      mark_targets(op, pc);
      pc += len;
    }
    o_ << "static int f" << index_ << "(void* cxp, std::uint64_t* fp, std::uint32_t depth) {\n"
       << "  constexpr std::uint32_t kFn = " << index_ << ";\n"
       << "  Context& cx = *static_cast<Context*>(cxp);\n"
       << "  Instance::Impl* const inst = cx.inst;\n"
       << "  FuelWord counter = cx.counter;\n"
       << "  const std::atomic<FuelWord>& deadline = cx.ex->deadline;\n"
       << "  MemView m;\n  reload(m, inst);\n"
       << "  ErrorCode tc = ErrorCode::kUnreachable;\n";
    for (std::uint32_t s = 0; s < fn_.frame_slots; ++s) {
      o_ << "  std::uint64_t s" << s << " = ";
      if (s < fn_.param_slots) {
        o_ << "fp[" << s << "];\n";
      } else {
        o_ << "0;\n";
      }
    }
    o_ << "  (void)depth; (void)tc; (void)inst;\n";
    for (std::uint32_t pc = 0; pc < n;) {
      LoweredOp op = LoweredOp::unreachable;
      decode(pc, &op);
      if (is_label_[pc]) o_ << " L" << pc << ":\n";
      const std::uint32_t group_end = access_group(pc);
      if (group_end != 0) {
        WASMIO_TRY(emit_group(pc, group_end));
        pc = group_end;
        continue;
      }
      WASMIO_TRY(emit(op, pc));
      pc += length(op, pc);
    }
    // Suspension: spill_K stores slots K-1 .. 0 (a caller stopped in its call at argbase K
    // keeps the callee's frame above K intact), then the function reports the suspension.
    o_ << "  return kTrap;  // not reached: lowered code ends with a return\n";
    for (std::uint32_t s = fn_.frame_slots; s > 0; --s) {
      o_ << " spill_" << s << ":\n  fp[" << (s - 1) << "] = s" << (s - 1) << ";\n";
    }
    o_ << " spill_0:\n  return kSuspend;\n}\n\n";
    return {};
  }

 private:
  const std::uint32_t* at(std::uint32_t pc) const { return fn_.code.data() + pc; }
  std::uint32_t w(std::uint32_t pc, std::uint32_t i) const { return fn_.code[pc + i]; }

  bool decode(std::uint32_t pc, LoweredOp* op) const {
    const std::int32_t offset = static_cast<std::int32_t>(fn_.code[pc]);
    // Operations sharing a handler share its semantics (the never-emitted ones all alias
    // `unreachable`, which comes first).
    for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(LoweredOp::kCount); ++i) {
      if (handlers_[i] == offset) {
        *op = static_cast<LoweredOp>(i);
        return true;
      }
    }
    return false;
  }

  static std::uint32_t internal_words(LoweredOp op) {
    switch (op) {
#define WASMIO_X(ident, words) \
  case LoweredOp::ident:       \
    return words;
      WASMIO_INTERNAL_OPS(WASMIO_X)
#undef WASMIO_X
      default:
        return 0;
    }
  }

  // Words of the operation at pc (the interpreter's `pc += n`).
  std::uint32_t length(LoweredOp op, std::uint32_t pc) const {
    if (static_cast<unsigned>(op) >= static_cast<unsigned>(Opcode::kCount)) return internal_words(op);
    const Opcode code = static_cast<Opcode>(op);
    switch (code) {
      case Opcode::unreachable: return 1;
      case Opcode::br: return 2;
      case Opcode::br_if: return 3;
      case Opcode::br_table: return 4 + w(pc, 2);
      case Opcode::return_: return 1;
      case Opcode::call: return 3;
      case Opcode::call_indirect: return 5;
      case Opcode::select: return 5;
      case Opcode::i32_const: return 3;
      case Opcode::i64_const: return 4;
      case Opcode::global_get:
      case Opcode::global_set:
      case Opcode::ref_is_null:
      case Opcode::ref_func:
      case Opcode::table_size:
      case Opcode::memory_grow: return 3;
      case Opcode::table_get:
      case Opcode::table_set:
      case Opcode::memory_fill:
      case Opcode::memory_copy: return 4;
      case Opcode::table_grow:
      case Opcode::table_fill:
      case Opcode::memory_init: return 5;
      case Opcode::table_copy:
      case Opcode::table_init: return 6;
      case Opcode::elem_drop:
      case Opcode::data_drop:
      case Opcode::memory_size: return 2;
      default: break;
    }
    const OpcodeInfo& info = opcode_info(code);
    if (info.imm == ImmKind::kMemArg) return 4;  // loads and stores
    if (info.imm != ImmKind::kNone) return 0;
    // Plain numeric instructions: dst + one or two operands.
    const char* sig = kOpcodeSignatureTexts[static_cast<unsigned>(code)];
    if (sig[0] == '*') return 0;
    std::uint32_t params = 0;
    while (sig[params] != ':' && sig[params] != '\0') ++params;
    return 2 + params;
  }

  std::uint32_t target(std::uint32_t pc, std::uint32_t i) const {
    return pc + static_cast<std::uint32_t>(static_cast<std::int32_t>(w(pc, i)));
  }

  // Where the branch offset sits, or 0 for operations that do not branch.
  static std::uint32_t branch_word(LoweredOp op) {
    switch (op) {
      case LoweredOp::br:
      case LoweredOp::br_loop: return 1;
      case LoweredOp::br_if:
      case LoweredOp::br_if_eqz:
      case LoweredOp::br_if_loop:
      case LoweredOp::br_if_eqz_loop: return 2;
      default: break;
    }
    if (op >= LoweredOp::br_if_i32_eq && op <= LoweredOp::br_if_i32_ge_u_imm) return 3;
    if (op >= LoweredOp::br_if_i32_eq_loop && op <= LoweredOp::br_if_i32_ge_u_imm_loop) return 3;
    return 0;
  }

  void mark_targets(LoweredOp op, std::uint32_t pc) {
    if (op == LoweredOp::br_table) {
      for (std::uint32_t i = 0; i <= w(pc, 2); ++i) mark(target(pc, 3 + i));
      return;
    }
    const std::uint32_t b = branch_word(op);
    if (b != 0) mark(target(pc, b));
  }
  void mark(std::uint32_t t) {
    if (t < is_label_.size()) is_label_[t] = 1;
  }

  // ---- statement helpers ----------------------------------------------------------------

  void slot(std::uint32_t s) { o_ << "s" << s; }
  void trap(std::uint32_t pc, const char* code) {
    o_ << "{ cx.counter = counter; return cx.rt->trap(cx, kFn, " << pc << ", fp, depth, " << code << "); }";
  }
  // The slow path of a safe point reached at pc `resume` (reported at `report` on a trap).
  void deadline_check(std::uint32_t resume, std::uint32_t report) {
    o_ << "if (counter >= deadline.load(std::memory_order_relaxed)) [[unlikely]] { cx.counter = counter; "
       << "const int v_ = cx.rt->safe_point(cx, kFn, " << resume << ", " << report << ", fp, depth); "
       << "counter = cx.counter; if (v_ == kTrap) return kTrap; if (v_ == kSuspend) goto spill_"
       << fn_.frame_slots << "; }";
  }
  // A taken loop back-edge: charge the loop's region (the word before the target), check.
  void loop_branch(std::uint32_t pc, std::uint32_t offset_word) {
    const std::uint32_t t = target(pc, offset_word);
    o_ << "{ counter += " << fn_.code[t - 1] << "u; ";
    deadline_check(t, t - 2);
    o_ << " goto L" << t << "; }";
  }

  void unary(std::uint32_t pc, const char* decl, const char* expr, const char* result) {
    o_ << "  { " << decl << " a = " << read_as(decl, w(pc, 2)) << "; s" << w(pc, 1) << " = " << result
       << "(" << expr << "); }\n";
  }
  void binary(std::uint32_t pc, const char* decl, const char* expr, const char* result) {
    o_ << "  { " << decl << " a = " << read_as(decl, w(pc, 2)) << "; " << decl << " b = "
       << read_as(decl, w(pc, 3)) << "; s" << w(pc, 1) << " = " << result << "(" << expr << "); }\n";
  }
  void binary_imm32(std::uint32_t pc, const char* expr) {
    o_ << "  { const std::uint32_t a = static_cast<std::uint32_t>(s" << w(pc, 2)
       << "); const std::uint32_t b = ";
    o_.hex(w(pc, 3), false);
    o_ << "; s" << w(pc, 1) << " = static_cast<std::uint32_t>(" << expr << "); }\n";
  }
  void binary_imm64(std::uint32_t pc, const char* expr) {
    o_ << "  { const std::uint64_t a = s" << w(pc, 2) << "; const std::uint64_t b = ";
    o_.hex(imm64(pc, 3), true);
    o_ << "; s" << w(pc, 1) << " = static_cast<std::uint64_t>(" << expr << "); }\n";
  }
  std::uint64_t imm64(std::uint32_t pc, std::uint32_t i) const {
    return static_cast<std::uint64_t>(w(pc, i)) | static_cast<std::uint64_t>(w(pc, i + 1)) << 32;
  }
  // Operand readers by declared type (the interpreter's U32/S32/S64/F32/F64/SLOT).
  std::string_view read_as(const char* decl, std::uint32_t s) {
    scratch_len_ = 0;
    auto put = [&](std::string_view t) {
      std::memcpy(scratch_ + scratch_len_, t.data(), t.size());
      scratch_len_ += t.size();
    };
    char num[16];
    const auto r = std::to_chars(num, num + sizeof num, s);
    const std::string_view slot_name(num, static_cast<std::size_t>(r.ptr - num));
    const std::string_view d(decl);
    if (d == "const std::uint32_t") {
      put("static_cast<std::uint32_t>(s");
    } else if (d == "const std::int32_t") {
      put("static_cast<std::int32_t>(static_cast<std::uint32_t>(s");
    } else if (d == "const std::int64_t") {
      put("static_cast<std::int64_t>(s");
    } else if (d == "const float") {
      put("f32_from(s");
    } else if (d == "const double") {
      put("f64_from(s");
    } else {
      put("(s");
    }
    put(slot_name);
    put(d == "const std::int32_t" ? "))" : ")");
    return {scratch_, scratch_len_};
  }

  // ---- grouped accesses ----------------------------------------------------------------
  //
  // Loads and stores of one width at constant offsets from the same address slot, in one basic
  // block (no label, call, branch or safe point between them, the slot not rewritten): a
  // register block accessed through a pointer. One range check covers the whole group, against
  // linear memory and against the hot raw aperture; each access is then a plain (or volatile)
  // access. Otherwise the group runs access by access, exactly as ungrouped code.

  // Width of a load or store, 0 for other operations.
  static unsigned access_bytes(LoweredOp op) {
    if (static_cast<unsigned>(op) >= static_cast<unsigned>(Opcode::kCount)) return 0;
    const OpcodeInfo& info = opcode_info(static_cast<Opcode>(op));
    return info.imm == ImmKind::kMemArg ? info.access_bytes : 0;
  }
  static bool is_store(LoweredOp op) {
    return access_bytes(op) != 0 && kOpcodeSignatureTexts[static_cast<unsigned>(op)][2] == ':';
  }
  std::uint32_t address_slot(LoweredOp op, std::uint32_t pc) const { return is_store(op) ? w(pc, 1) : w(pc, 2); }
  // Operations that may sit between grouped accesses: straight-line, no call, writing at most
  // their destination word(s).
  bool group_filler(LoweredOp op, std::uint32_t pc, std::uint32_t base) const {
    switch (op) {
      case LoweredOp::copy:
      case LoweredOp::i32_const:
      case LoweredOp::i64_const:
      case LoweredOp::global_get:
        return w(pc, 1) != base;
      case LoweredOp::copy2:
        return w(pc, 1) != base && w(pc, 3) != base;
      default:
        break;
    }
    if (static_cast<unsigned>(op) >= static_cast<unsigned>(Opcode::kCount)) {
      return op >= LoweredOp::i32_add_imm && op <= LoweredOp::i64_ge_u_imm && w(pc, 1) != base;
    }
    const OpcodeInfo& info = opcode_info(static_cast<Opcode>(op));
    const char* sig = kOpcodeSignatureTexts[static_cast<unsigned>(op)];
    return info.imm == ImmKind::kNone && sig[0] != '*' && w(pc, 1) != base;
  }
  // The end (exclusive) of a group starting at pc, or 0 when there is none.
  std::uint32_t access_group(std::uint32_t pc) const {
    LoweredOp op = LoweredOp::unreachable;
    decode(pc, &op);
    const unsigned width = access_bytes(op);
    if (width == 0) return 0;
    const std::uint32_t base = address_slot(op, pc);
    const std::uint32_t n = static_cast<std::uint32_t>(fn_.code.size());
    std::uint32_t accesses = 0;
    std::uint32_t end = 0;
    for (std::uint32_t at = pc; at < n;) {
      if (at != pc && is_label_[at]) break;
      decode(at, &op);
      const unsigned bytes = access_bytes(op);
      if (bytes != 0) {
        if (bytes != width || address_slot(op, at) != base) break;
        ++accesses;
        at += length(op, at);
        end = at;
        if (!is_store(op) && w(at - 4, 1) == base) break;  // the load rewrote the address slot
        continue;
      }
      if (!group_filler(op, at, base)) break;
      at += length(op, at);
    }
    return accesses >= 2 ? end : 0;
  }

  Expected<void> emit_group(std::uint32_t begin, std::uint32_t end) {
    LoweredOp op = LoweredOp::unreachable;
    decode(begin, &op);
    const unsigned width = access_bytes(op);
    const std::uint32_t base = address_slot(op, begin);
    std::uint64_t min_offset = UINT64_MAX;
    std::uint64_t max_end = 0;
    bool offsets_aligned = true;
    for (std::uint32_t at = begin; at < end; at += length(op, at)) {
      decode(at, &op);
      if (access_bytes(op) == 0) continue;
      const std::uint64_t offset = w(at, 3);
      if (offset < min_offset) min_offset = offset;
      if (offset + width > max_end) max_end = offset + width;
    }
    for (std::uint32_t at = begin; at < end; at += length(op, at)) {
      decode(at, &op);
      if (access_bytes(op) != 0 && (w(at, 3) - min_offset) % width != 0) offsets_aligned = false;
    }
    group_min_ = min_offset;
    o_ << "  { const std::uint64_t gb_ = static_cast<std::uint32_t>(s" << base << ");\n"
       << "  if (gb_ + " << max_end << "u <= m.size) {\n";
    mode_ = kGroupLinear;
    WASMIO_TRY(emit_range(begin, end));
    if (offsets_aligned) {
      o_ << "  } else if (const std::uint64_t go_ = gb_ + " << min_offset << "u - m.hot_base; go_ < m.hot_limit["
         << (width == 1 ? 0u : width == 2 ? 1u : width == 4 ? 2u : 3u) << "] && go_ + " << (max_end - width - min_offset)
         << "u < m.hot_limit[" << (width == 1 ? 0u : width == 2 ? 1u : width == 4 ? 2u : 3u) << "] && (go_ & "
         << (width - 1) << "u) == 0) {\n"
         << "  volatile std::uint8_t* const gr_ = m.hot_raw + go_;\n";
      mode_ = kGroupHot;
      WASMIO_TRY(emit_range(begin, end));
    }
    o_ << "  } else [[unlikely]] {\n";  // the access-by-access fallback
    mode_ = kChecked;
    WASMIO_TRY(emit_range(begin, end));
    o_ << "  } }\n";
    return {};
  }
  Expected<void> emit_range(std::uint32_t begin, std::uint32_t end) {
    LoweredOp op = LoweredOp::unreachable;
    for (std::uint32_t at = begin; at < end; at += length(op, at)) {
      decode(at, &op);
      WASMIO_TRY(emit(op, at));
    }
    return {};
  }

  void load(std::uint32_t pc, const char* type, const char* widen) {
    if (mode_ == kGroupLinear) {
      o_ << "  { " << type << " v; std::memcpy(&v, m.base + gb_ + " << w(pc, 3) << "u, sizeof v); s" << w(pc, 1)
         << " = " << widen << "; }\n";
      return;
    }
    if (mode_ == kGroupHot) {
      o_ << "  { const " << type << " v = *reinterpret_cast<const volatile " << type << "*>(gr_ + "
         << (w(pc, 3) - group_min_) << "u); s" << w(pc, 1) << " = " << widen << "; }\n";
      return;
    }
    o_ << "  { " << type << " v; if (!load<" << type << ">(m, cx, static_cast<std::uint64_t>(static_cast<std::uint32_t>(s"
       << w(pc, 2) << ")) + " << w(pc, 3) << "u, &v, &tc)) [[unlikely]] ";
    trap(pc, "tc");
    o_ << " s" << w(pc, 1) << " = " << widen << "; }\n";
  }
  void store(std::uint32_t pc, const char* type) {
    if (mode_ == kGroupLinear) {
      o_ << "  { const " << type << " v = static_cast<" << type << ">(s" << w(pc, 2) << "); std::memcpy(m.base + gb_ + "
         << w(pc, 3) << "u, &v, sizeof v); }\n";
      return;
    }
    if (mode_ == kGroupHot) {
      o_ << "  *reinterpret_cast<volatile " << type << "*>(gr_ + " << (w(pc, 3) - group_min_) << "u) = static_cast<"
         << type << ">(s" << w(pc, 2) << ");\n";
      return;
    }
    o_ << "  if (!store<" << type << ">(m, cx, static_cast<std::uint64_t>(static_cast<std::uint32_t>(s" << w(pc, 1)
       << ")) + " << w(pc, 3) << "u, static_cast<" << type << ">(s" << w(pc, 2) << "), &tc)) [[unlikely]] ";
    trap(pc, "tc");
    o_ << "\n";
  }
  void truncate(std::uint32_t pc, const char* decl, const char* fits, const char* expr) {
    o_ << "  { " << decl << " a = " << read_as(decl, w(pc, 2)) << "; if (!" << fits
       << "(a)) [[unlikely]] { if (a != a) ";
    trap(pc, "ErrorCode::kInvalidConversionToInteger");
    o_ << " ";
    trap(pc, "ErrorCode::kIntegerOverflow");
    o_ << " } s" << w(pc, 1) << " = (" << expr << "); }\n";
  }
  void convert(std::uint32_t pc, const char* decl, const char* expr) {
    o_ << "  { " << decl << " a = " << read_as(decl, w(pc, 2)) << "; s" << w(pc, 1) << " = (" << expr << "); }\n";
  }
  void branch_if(std::uint32_t pc, const char* cond_a, const char* op, bool immediate, bool is_loop) {
    o_ << "  if (" << cond_a << "(s" << w(pc, 1) << ") " << op << " ";
    if (immediate) {
      if (std::strcmp(cond_a, "static_cast<std::int32_t>") == 0) {
        o_ << "static_cast<std::int32_t>(";
        o_.hex(w(pc, 2), false);
        o_ << ")";
      } else {
        o_.hex(w(pc, 2), false);
      }
    } else {
      o_ << cond_a << "(s" << w(pc, 2) << ")";
    }
    o_ << ") ";
    if (is_loop) {
      loop_branch(pc, 3);
    } else {
      o_ << "goto L" << target(pc, 3) << ";";
    }
    o_ << "\n";
  }

  void store_args(std::uint32_t argbase, std::uint32_t params) {
    for (std::uint32_t i = 0; i < params; ++i) o_ << " fp[" << (argbase + i) << "] = s" << (argbase + i) << ";";
  }
  void after_call(std::uint32_t pc, std::uint32_t argbase, std::uint32_t results, std::uint32_t words) {
    o_ << " counter = cx.counter; if (st_ != kOk) [[unlikely]] { if (st_ == kSuspendHere) goto spill_"
       << fn_.frame_slots << "; cx.rt->unwind(cx, kFn, " << (pc + words)
       << ", fp, depth); if (st_ == kTrap) return kTrap; goto spill_" << argbase << "; }";
    for (std::uint32_t i = 0; i < results; ++i) o_ << " s" << (argbase + i) << " = fp[" << (argbase + i) << "];";
    o_ << " reload(m, inst); }\n";
  }
  void depth_check(std::uint32_t pc, std::uint32_t argbase, const char* frame_slots) {
    o_ << " if (fp + " << argbase << " + " << frame_slots
       << " > cx.stack_end || depth + 1 >= cx.max_frames || frame_address() < cx.native_floor) [[unlikely]] ";
    trap(pc, "ErrorCode::kCallStackExhausted");
  }

  void call_direct(std::uint32_t pc, std::uint32_t defined, std::uint32_t argbase, std::uint32_t words) {
    const LoweredFunction& t = lm_.functions[defined];
    char fs[16];
    const auto r = std::to_chars(fs, fs + sizeof fs, t.frame_slots);
    *r.ptr = '\0';
    o_ << "  {";
    depth_check(pc, argbase, fs);
    store_args(argbase, t.param_slots);
    o_ << " cx.counter = counter; const int st_ = f" << defined << "(&cx, fp + " << argbase << ", depth + 1);";
    after_call(pc, argbase, t.result_slots, words);
  }

  Expected<void> emit(LoweredOp op, std::uint32_t pc);

  Out& o_;
  const Module::Impl& m_;
  const LoweredModule& lm_;
  const LoweredFunction& fn_;
  std::uint32_t index_;
  const std::int32_t* handlers_;
  Vec<std::uint8_t> is_label_;
  enum Mode { kChecked, kGroupLinear, kGroupHot };
  Mode mode_ = kChecked;
  std::uint64_t group_min_ = 0;
  char scratch_[96];
  std::size_t scratch_len_ = 0;
};

// The interpreter's handler shapes, by the same names: each emits the expression text.
#define I32_UNARY(label, expr) \
  case LoweredOp::label: unary(pc, "const std::uint32_t", #expr, "static_cast<std::uint32_t>"); break;
#define I64_UNARY(label, expr) \
  case LoweredOp::label: unary(pc, "const std::uint64_t", #expr, "static_cast<std::uint64_t>"); break;
#define I32_BINARY(label, expr) \
  case LoweredOp::label: binary(pc, "const std::uint32_t", #expr, "static_cast<std::uint32_t>"); break;
#define I64_BINARY(label, expr) \
  case LoweredOp::label: binary(pc, "const std::uint64_t", #expr, "static_cast<std::uint64_t>"); break;
#define I32_BINARY_IMM(label, expr) \
  case LoweredOp::label: binary_imm32(pc, #expr); break;
#define I64_BINARY_IMM(label, expr) \
  case LoweredOp::label: binary_imm64(pc, #expr); break;
#define F32_UNARY(label, expr) \
  case LoweredOp::label: unary(pc, "const float", "static_cast<float>(" #expr ")", "bits_of"); break;
#define F64_UNARY(label, expr) \
  case LoweredOp::label: unary(pc, "const double", "static_cast<double>(" #expr ")", "slot_of"); break;
#define F32_BINARY(label, expr) \
  case LoweredOp::label: binary(pc, "const float", "static_cast<float>(" #expr ")", "bits_of"); break;
#define F64_BINARY(label, expr) \
  case LoweredOp::label: binary(pc, "const double", "static_cast<double>(" #expr ")", "slot_of"); break;
#define F32_COMPARE(label, expr) \
  case LoweredOp::label: binary(pc, "const float", "(" #expr ") ? 1u : 0u", "static_cast<std::uint32_t>"); break;
#define F64_COMPARE(label, expr) \
  case LoweredOp::label: binary(pc, "const double", "(" #expr ") ? 1u : 0u", "static_cast<std::uint32_t>"); break;
#define DECL_SLOT "const std::uint64_t"
#define DECL_U32 "const std::uint32_t"
#define DECL_S32 "const std::int32_t"
#define DECL_S64 "const std::int64_t"
#define DECL_F32 "const float"
#define DECL_F64 "const double"
#define CONVERT(label, from, expr) \
  case LoweredOp::label: convert(pc, DECL_##from, #expr); break;
#define TRUNCATE(label, from, fits, expr) \
  case LoweredOp::label: truncate(pc, DECL_##from, #fits, #expr); break;
#define LOAD(label, T, expr) \
  case LoweredOp::label: load(pc, #T, #expr); break;
#define STORE(label, T) \
  case LoweredOp::label: store(pc, #T); break;
#define BRANCH_IF(label, a, op, imm) \
  case LoweredOp::label: branch_if(pc, a, op, imm, false); break;
#define BRANCH_IF_LOOP(label, a, op, imm) \
  case LoweredOp::label: branch_if(pc, a, op, imm, true); break;
#define U "static_cast<std::uint32_t>"
#define S "static_cast<std::int32_t>"

Expected<void> FunctionEmitter::emit(LoweredOp op, std::uint32_t pc) {
  const std::uint32_t d = pc + 1 < fn_.code.size() ? w(pc, 1) : 0;
  switch (op) {
    case LoweredOp::unreachable:
      o_ << "  ";
      trap(pc, "ErrorCode::kUnreachable");
      o_ << "\n";
      break;

    // ---- control ------------------------------------------------------------------------
    case LoweredOp::br:
      o_ << "  goto L" << target(pc, 1) << ";\n";
      break;
    case LoweredOp::br_if:
      o_ << "  if (static_cast<std::uint32_t>(s" << d << ") != 0) goto L" << target(pc, 2) << ";\n";
      break;
    case LoweredOp::br_if_eqz:
      o_ << "  if (static_cast<std::uint32_t>(s" << d << ") == 0) goto L" << target(pc, 2) << ";\n";
      break;
    BRANCH_IF(br_if_i32_eq, U, "==", false)
    BRANCH_IF(br_if_i32_ne, U, "!=", false)
    BRANCH_IF(br_if_i32_lt_s, S, "<", false)
    BRANCH_IF(br_if_i32_lt_u, U, "<", false)
    BRANCH_IF(br_if_i32_gt_s, S, ">", false)
    BRANCH_IF(br_if_i32_gt_u, U, ">", false)
    BRANCH_IF(br_if_i32_le_s, S, "<=", false)
    BRANCH_IF(br_if_i32_le_u, U, "<=", false)
    BRANCH_IF(br_if_i32_ge_s, S, ">=", false)
    BRANCH_IF(br_if_i32_ge_u, U, ">=", false)
    BRANCH_IF(br_if_i32_eq_imm, U, "==", true)
    BRANCH_IF(br_if_i32_ne_imm, U, "!=", true)
    BRANCH_IF(br_if_i32_lt_s_imm, S, "<", true)
    BRANCH_IF(br_if_i32_lt_u_imm, U, "<", true)
    BRANCH_IF(br_if_i32_gt_s_imm, S, ">", true)
    BRANCH_IF(br_if_i32_gt_u_imm, U, ">", true)
    BRANCH_IF(br_if_i32_le_s_imm, S, "<=", true)
    BRANCH_IF(br_if_i32_le_u_imm, U, "<=", true)
    BRANCH_IF(br_if_i32_ge_s_imm, S, ">=", true)
    BRANCH_IF(br_if_i32_ge_u_imm, U, ">=", true)
    case LoweredOp::br_loop:
      o_ << "  ";
      loop_branch(pc, 1);
      o_ << "\n";
      break;
    case LoweredOp::br_if_loop:
      o_ << "  if (static_cast<std::uint32_t>(s" << d << ") != 0) ";
      loop_branch(pc, 2);
      o_ << "\n";
      break;
    case LoweredOp::br_if_eqz_loop:
      o_ << "  if (static_cast<std::uint32_t>(s" << d << ") == 0) ";
      loop_branch(pc, 2);
      o_ << "\n";
      break;
    BRANCH_IF_LOOP(br_if_i32_eq_loop, U, "==", false)
    BRANCH_IF_LOOP(br_if_i32_ne_loop, U, "!=", false)
    BRANCH_IF_LOOP(br_if_i32_lt_s_loop, S, "<", false)
    BRANCH_IF_LOOP(br_if_i32_lt_u_loop, U, "<", false)
    BRANCH_IF_LOOP(br_if_i32_gt_s_loop, S, ">", false)
    BRANCH_IF_LOOP(br_if_i32_gt_u_loop, U, ">", false)
    BRANCH_IF_LOOP(br_if_i32_le_s_loop, S, "<=", false)
    BRANCH_IF_LOOP(br_if_i32_le_u_loop, U, "<=", false)
    BRANCH_IF_LOOP(br_if_i32_ge_s_loop, S, ">=", false)
    BRANCH_IF_LOOP(br_if_i32_ge_u_loop, U, ">=", false)
    BRANCH_IF_LOOP(br_if_i32_eq_imm_loop, U, "==", true)
    BRANCH_IF_LOOP(br_if_i32_ne_imm_loop, U, "!=", true)
    BRANCH_IF_LOOP(br_if_i32_lt_s_imm_loop, S, "<", true)
    BRANCH_IF_LOOP(br_if_i32_lt_u_imm_loop, U, "<", true)
    BRANCH_IF_LOOP(br_if_i32_gt_s_imm_loop, S, ">", true)
    BRANCH_IF_LOOP(br_if_i32_gt_u_imm_loop, U, ">", true)
    BRANCH_IF_LOOP(br_if_i32_le_s_imm_loop, S, "<=", true)
    BRANCH_IF_LOOP(br_if_i32_le_u_imm_loop, U, "<=", true)
    BRANCH_IF_LOOP(br_if_i32_ge_s_imm_loop, S, ">=", true)
    BRANCH_IF_LOOP(br_if_i32_ge_u_imm_loop, U, ">=", true)
    case LoweredOp::br_table: {
      const std::uint32_t count = w(pc, 2);
      o_ << "  switch (static_cast<std::uint32_t>(s" << d << ")) {";
      for (std::uint32_t i = 0; i < count; ++i) o_ << " case " << i << "u: goto L" << target(pc, 3 + i) << ";";
      o_ << " default: goto L" << target(pc, 3 + count) << "; }\n";
      break;
    }
    case LoweredOp::safe_point:
      o_ << "  counter += " << w(pc, 1) << "u; ";
      deadline_check(pc + 2, pc);
      o_ << "\n";
      break;
    case LoweredOp::copy:
      o_ << "  s" << d << " = s" << w(pc, 2) << ";\n";
      break;
    case LoweredOp::copy2:
      o_ << "  s" << d << " = s" << w(pc, 2) << "; s" << w(pc, 3) << " = s" << w(pc, 4) << ";\n";
      break;
    case LoweredOp::select:
      o_ << "  s" << d << " = static_cast<std::uint32_t>(s" << w(pc, 4) << ") != 0 ? s" << w(pc, 2) << " : s"
         << w(pc, 3) << ";\n";
      break;
    case LoweredOp::i32_const:
      o_ << "  s" << d << " = ";
      o_.hex(w(pc, 2), false);
      o_ << ";\n";
      break;
    case LoweredOp::i64_const:
      o_ << "  s" << d << " = ";
      o_.hex(imm64(pc, 2), true);
      o_ << ";\n";
      break;

    // ---- calls and returns ----------------------------------------------------------------
    case LoweredOp::call_internal:
      call_direct(pc, w(pc, 1), w(pc, 2), 3);
      break;
    case LoweredOp::call: {
      const std::uint32_t f = w(pc, 1);
      const std::uint32_t argbase = w(pc, 2);
      if (f >= lm_.imported_function_count) {
        call_direct(pc, f - lm_.imported_function_count, argbase, 3);
        break;
      }
      const FuncType type = m_.function_type(f);
      o_ << "  {";
      store_args(argbase, static_cast<std::uint32_t>(type.params.size()));
      o_ << " cx.counter = counter; const int st_ = cx.rt->call(cx, inst->functions[" << f << "], kFn, " << pc
         << ", fp, " << argbase << ", depth);";
      after_call(pc, argbase, static_cast<std::uint32_t>(type.results.size()), 3);
      break;
    }
    case LoweredOp::call_indirect: {
      const std::uint32_t type_index = w(pc, 1);
      const std::uint32_t argbase = w(pc, 4);
      const FuncType& type = m_.types[type_index];
      o_ << "  { const TableInstance* tb_ = inst->tables[" << w(pc, 2) << "]; const std::uint32_t ix_ = static_cast<std::uint32_t>(s"
         << w(pc, 3) << "); if (ix_ >= tb_->elements.size()) [[unlikely]] ";
      trap(pc, "ErrorCode::kUndefinedElement");
      o_ << " const RefWord ref_ = tb_->elements[ix_]; if (ref_ == 0) [[unlikely]] ";
      trap(pc, "ErrorCode::kUninitializedElement");
      o_ << " FunctionInstance* callee_ = reinterpret_cast<FunctionInstance*>(ref_); if (callee_->type_id != inst->type_ids["
         << type_index << "]) [[unlikely]] ";
      trap(pc, "ErrorCode::kIndirectCallTypeMismatch");
      store_args(argbase, static_cast<std::uint32_t>(type.params.size()));
      o_ << " cx.counter = counter; int st_; if (callee_->native != nullptr && callee_->instance == cx.instance) {";
      depth_check(pc, argbase, "callee_->code->frame_slots");
      o_ << " st_ = callee_->native(&cx, fp + " << argbase << ", depth + 1); } else { st_ = cx.rt->call(cx, callee_, kFn, "
         << pc << ", fp, " << argbase << ", depth); }";
      after_call(pc, argbase, static_cast<std::uint32_t>(type.results.size()), 5);
      break;
    }
    case LoweredOp::return_1:
      o_ << "  fp[0] = s" << d << "; cx.counter = counter; return kOk;\n";
      break;
    case LoweredOp::return_:
      o_ << " ";
      for (std::uint32_t i = 0; i < fn_.result_slots; ++i) o_ << " fp[" << i << "] = s" << i << ";";
      o_ << " cx.counter = counter; return kOk;\n";
      break;

    // ---- variables and references -----------------------------------------------------------
    case LoweredOp::global_get:
      o_ << "  s" << d << " = inst->globals[" << w(pc, 2) << "]->value[0];\n";
      break;
    case LoweredOp::global_set:
      o_ << "  inst->globals[" << d << "]->value[0] = s" << w(pc, 2) << ";\n";
      break;
    case LoweredOp::ref_is_null:
      o_ << "  s" << d << " = static_cast<RefWord>(s" << w(pc, 2) << ") == 0 ? 1u : 0u;\n";
      break;
    case LoweredOp::ref_func:
      o_ << "  s" << d << " = reinterpret_cast<RefWord>(inst->functions[" << w(pc, 2) << "]);\n";
      break;

    // ---- tables (out of line) --------------------------------------------------------------------
    case LoweredOp::table_get:
      o_ << "  { std::uint64_t r_ = 0; const ErrorCode e_ = cx.rt->table_op(inst, kTableGet, " << w(pc, 2)
         << ", 0, static_cast<std::uint32_t>(s" << w(pc, 3) << "), 0, 0, &r_); if (e_ != ErrorCode::kUnreachable) ";
      trap(pc, "e_");
      o_ << " s" << d << " = r_; }\n";
      break;
    case LoweredOp::table_set:
      o_ << "  { std::uint64_t r_ = 0; const ErrorCode e_ = cx.rt->table_op(inst, kTableSet, " << d
         << ", 0, static_cast<std::uint32_t>(s" << w(pc, 2) << "), s" << w(pc, 3)
         << ", 0, &r_); if (e_ != ErrorCode::kUnreachable) ";
      trap(pc, "e_");
      o_ << " }\n";
      break;
    case LoweredOp::table_size:
      o_ << "  { std::uint64_t r_ = 0; cx.rt->table_op(inst, kTableSize, " << w(pc, 2) << ", 0, 0, 0, 0, &r_); s" << d
         << " = r_; }\n";
      break;
    case LoweredOp::table_grow:
      o_ << "  { std::uint64_t r_ = 0; cx.rt->table_op(inst, kTableGrow, " << w(pc, 2) << ", 0, s" << w(pc, 3)
         << ", static_cast<std::uint32_t>(s" << w(pc, 4) << "), 0, &r_); s" << d << " = r_; }\n";
      break;
    case LoweredOp::table_fill:
      o_ << "  { std::uint64_t r_ = 0; const ErrorCode e_ = cx.rt->table_op(inst, kTableFill, " << d
         << ", 0, static_cast<std::uint32_t>(s" << w(pc, 2) << "), s" << w(pc, 3) << ", static_cast<std::uint32_t>(s"
         << w(pc, 4) << "), &r_); if (e_ != ErrorCode::kUnreachable) ";
      trap(pc, "e_");
      o_ << " }\n";
      break;
    case LoweredOp::table_copy:
    case LoweredOp::table_init:
      o_ << "  { std::uint64_t r_ = 0; const ErrorCode e_ = cx.rt->table_op(inst, "
         << (op == LoweredOp::table_copy ? "kTableCopy" : "kTableInit") << ", " << d << ", " << w(pc, 2)
         << ", static_cast<std::uint32_t>(s" << w(pc, 3) << "), static_cast<std::uint32_t>(s" << w(pc, 4)
         << "), static_cast<std::uint32_t>(s" << w(pc, 5) << "), &r_); if (e_ != ErrorCode::kUnreachable) ";
      trap(pc, "e_");
      o_ << " }\n";
      break;
    case LoweredOp::elem_drop:
      o_ << "  { std::uint64_t r_ = 0; cx.rt->table_op(inst, kElemDrop, " << d << ", 0, 0, 0, 0, &r_); }\n";
      break;

    // ---- memory ---------------------------------------------------------------------------------
    LOAD(i32_load, std::uint32_t, v)
    LOAD(i64_load, std::uint64_t, v)
    LOAD(f32_load, std::uint32_t, v)
    LOAD(f64_load, std::uint64_t, v)
    LOAD(i32_load8_s, std::uint8_t, static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int8_t>(v))))
    LOAD(i32_load8_u, std::uint8_t, std::uint32_t{v})
    LOAD(i32_load16_s, std::uint16_t, static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int16_t>(v))))
    LOAD(i32_load16_u, std::uint16_t, std::uint32_t{v})
    LOAD(i64_load8_s, std::uint8_t, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int8_t>(v))))
    LOAD(i64_load8_u, std::uint8_t, std::uint64_t{v})
    LOAD(i64_load16_s, std::uint16_t, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int16_t>(v))))
    LOAD(i64_load16_u, std::uint16_t, std::uint64_t{v})
    LOAD(i64_load32_s, std::uint32_t, static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(v))))
    LOAD(i64_load32_u, std::uint32_t, std::uint64_t{v})
    WASMIO_STORE_OPS(STORE)
    case LoweredOp::memory_size:
      o_ << "  s" << d << " = static_cast<std::uint32_t>(m.size >> m.memory->type.page_size_log2);\n";
      break;
    case LoweredOp::memory_grow:
      o_ << "  { const std::int64_t old_ = cx.rt->memory_grow(m.memory, static_cast<std::uint32_t>(s" << w(pc, 2)
         << ")); reload(m, inst); s" << d << " = static_cast<std::uint32_t>(old_); }\n";
      break;
    case LoweredOp::memory_fill:
      o_ << "  { const std::uint64_t dst_ = static_cast<std::uint32_t>(s" << d
         << "); const std::uint64_t n_ = static_cast<std::uint32_t>(s" << w(pc, 3)
         << "); if (dst_ + n_ > m.size) [[unlikely]] ";
      trap(pc, "ErrorCode::kOutOfBoundsMemoryAccess");
      o_ << " if (n_ != 0) std::memset(m.base + dst_, static_cast<std::uint8_t>(s" << w(pc, 2) << "), n_); }\n";
      break;
    case LoweredOp::memory_copy:
      o_ << "  { const std::uint64_t dst_ = static_cast<std::uint32_t>(s" << d
         << "); const std::uint64_t src_ = static_cast<std::uint32_t>(s" << w(pc, 2)
         << "); const std::uint64_t n_ = static_cast<std::uint32_t>(s" << w(pc, 3)
         << "); if (dst_ + n_ > m.size || src_ + n_ > m.size) [[unlikely]] ";
      trap(pc, "ErrorCode::kOutOfBoundsMemoryAccess");
      o_ << " if (n_ != 0) std::memmove(m.base + dst_, m.base + src_, n_); }\n";
      break;
    case LoweredOp::memory_init:
      o_ << "  { const ErrorCode e_ = cx.rt->memory_init(inst, " << d << ", static_cast<std::uint32_t>(s" << w(pc, 2)
         << "), static_cast<std::uint32_t>(s" << w(pc, 3) << "), static_cast<std::uint32_t>(s" << w(pc, 4)
         << ")); if (e_ != ErrorCode::kUnreachable) ";
      trap(pc, "e_");
      o_ << " }\n";
      break;
    case LoweredOp::data_drop:
      o_ << "  cx.rt->data_drop(inst, " << d << ");\n";
      break;

    // ---- i32 --------------------------------------------------------------------------------------
    WASMIO_I32_UNARY_OPS(I32_UNARY)
    WASMIO_I32_BINARY_OPS(I32_BINARY)
    case LoweredOp::i32_div_s:
    case LoweredOp::i32_rem_s:
    case LoweredOp::i64_div_s:
    case LoweredOp::i64_rem_s: {
      const bool wide = op == LoweredOp::i64_div_s || op == LoweredOp::i64_rem_s;
      const bool div = op == LoweredOp::i32_div_s || op == LoweredOp::i64_div_s;
      const char* t = wide ? "std::int64_t" : "std::int32_t";
      o_ << "  { const " << t << " a = static_cast<" << t << ">(" << (wide ? "" : "static_cast<std::uint32_t>") << "(s"
         << w(pc, 2) << ")); const " << t << " b = static_cast<" << t << ">(" << (wide ? "" : "static_cast<std::uint32_t>")
         << "(s" << w(pc, 3) << ")); if (b == 0) [[unlikely]] ";
      trap(pc, "ErrorCode::kIntegerDivideByZero");
      if (div) {
        o_ << " if (a == " << (wide ? "INT64_MIN" : "INT32_MIN") << " && b == -1) [[unlikely]] ";
        trap(pc, "ErrorCode::kIntegerOverflow");
        o_ << " s" << d << " = static_cast<" << (wide ? "std::uint64_t" : "std::uint32_t") << ">(a / b); }\n";
      } else {
        o_ << " s" << d << " = b == -1 ? 0u : static_cast<" << (wide ? "std::uint64_t" : "std::uint32_t") << ">(a % b); }\n";
      }
      break;
    }
    case LoweredOp::i32_div_u:
    case LoweredOp::i32_rem_u:
    case LoweredOp::i64_div_u:
    case LoweredOp::i64_rem_u: {
      const bool wide = op == LoweredOp::i64_div_u || op == LoweredOp::i64_rem_u;
      const bool div = op == LoweredOp::i32_div_u || op == LoweredOp::i64_div_u;
      const char* t = wide ? "std::uint64_t" : "std::uint32_t";
      o_ << "  { const " << t << " a = static_cast<" << t << ">(s" << w(pc, 2) << "); const " << t << " b = static_cast<"
         << t << ">(s" << w(pc, 3) << "); if (b == 0) [[unlikely]] ";
      trap(pc, "ErrorCode::kIntegerDivideByZero");
      o_ << " s" << d << " = a " << (div ? "/" : "%") << " b; }\n";
      break;
    }

    WASMIO_I32_BINARY_IMM_OPS(I32_BINARY_IMM)

    // ---- i64 --------------------------------------------------------------------------------------
    WASMIO_I64_UNARY_OPS(I64_UNARY)
    WASMIO_I64_BINARY_OPS(I64_BINARY)

    WASMIO_I64_BINARY_IMM_OPS(I64_BINARY_IMM)

    // ---- f32 / f64 ------------------------------------------------------------------------------
    WASMIO_F32_COMPARE_OPS(F32_COMPARE)
    WASMIO_F64_COMPARE_OPS(F64_COMPARE)
    case LoweredOp::f32_abs:
      o_ << "  s" << d << " = s" << w(pc, 2) << " & 0x7FFFFFFFu;\n";
      break;
    case LoweredOp::f32_neg:
      o_ << "  s" << d << " = (s" << w(pc, 2) << " ^ 0x80000000u) & 0xFFFFFFFFu;\n";
      break;
    case LoweredOp::f32_copysign:
      o_ << "  s" << d << " = (s" << w(pc, 2) << " & 0x7FFFFFFFu) | (s" << w(pc, 3) << " & 0x80000000u);\n";
      break;
    case LoweredOp::f64_abs:
      o_ << "  s" << d << " = s" << w(pc, 2) << " & 0x7FFFFFFFFFFFFFFFull;\n";
      break;
    case LoweredOp::f64_neg:
      o_ << "  s" << d << " = s" << w(pc, 2) << " ^ 0x8000000000000000ull;\n";
      break;
    case LoweredOp::f64_copysign:
      o_ << "  s" << d << " = (s" << w(pc, 2) << " & 0x7FFFFFFFFFFFFFFFull) | (s" << w(pc, 3)
         << " & 0x8000000000000000ull);\n";
      break;
    WASMIO_F32_UNARY_OPS(F32_UNARY)
    WASMIO_F32_BINARY_OPS(F32_BINARY)
    WASMIO_F64_UNARY_OPS(F64_UNARY)
    WASMIO_F64_BINARY_OPS(F64_BINARY)

    // ---- conversions ----------------------------------------------------------------------------
    WASMIO_CONVERT_OPS(CONVERT)
    WASMIO_TRUNCATE_OPS(TRUNCATE)

    default:
      // An operation this emitter does not know: refuse rather than emit wrong code.
      return unexpected(ErrorCode::kImplementationLimit, fn_.binary_offset_at(pc), fn_.function_index);
  }
  return {};
}

#undef U
#undef S

}  // namespace
}  // namespace detail::aot

Expected<void> aot_emit_source(const Module& module, std::string_view symbol, AotTextSink sink,
                               void* sink_context) {
  using namespace detail;
  using namespace detail::aot;
  const Module::Impl& m = module.impl();
  if (m.lowered == nullptr) return unexpected(ErrorCode::kImplementationLimit);
  const LoweredModule& lowered = *m.lowered;
  const std::int32_t* handlers = interpreter_handler_offsets();

  Out o(sink, sink_context);
  const std::uint32_t count = static_cast<std::uint32_t>(lowered.functions.size());
  o << "// Generated by `wasmio aot` (docs/design/0015): native code of a module of " << static_cast<std::uint64_t>(m.bytes.size())
    << " bytes. Do not edit.\n"
    << "#include \"aot/aot_abi.h\"\n\n"
    << "#pragma GCC diagnostic ignored \"-Wunused-label\"\n"
    << "#pragma GCC diagnostic ignored \"-Wunused-variable\"\n"
    << "#pragma GCC diagnostic ignored \"-Wunused-but-set-variable\"\n\n"
    << "namespace {\nusing namespace wasmio;\nusing namespace wasmio::detail;\nusing namespace wasmio::detail::aot;\n\n";
  for (std::uint32_t i = 0; i < count; ++i) o << "static int f" << i << "(void*, std::uint64_t*, std::uint32_t);\n";
  o << "\n";
  for (std::uint32_t i = 0; i < count; ++i) {
    FunctionEmitter f(o, m, lowered, i, handlers);
    WASMIO_TRY(f.run());
  }
  o << "const wasmio::AotFunction kFunctions[] = {";
  for (std::uint32_t i = 0; i < count; ++i) o << (i == 0 ? "" : ", ") << "f" << i;
  if (count == 0) o << "nullptr";
  o << "};\n\n}  // namespace\n\n"
    << "extern \"C\" const wasmio::AotImage " << symbol << ";\n"
    << "extern \"C\" const wasmio::AotImage " << symbol << " = {\n"
    << "    wasmio::detail::aot::kAbiVersion, wasmio::detail::aot::kLayout, ";
  o.hex(aot_module_hash(m.bytes), true);
  o << ", " << static_cast<std::uint64_t>(m.bytes.size()) << "u, " << count << "u, kFunctions};\n";
  return {};
}

}  // namespace wasmio
