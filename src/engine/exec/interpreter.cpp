// The interpreter: threaded dispatch over lowered code (lower/lowered_code.h).
//
// One C++ function runs every Wasm frame of an Execution: calls push a FrameRecord and switch
// pc/fp, returns pop one, so the C++ stack never grows with Wasm recursion and a suspended
// execution is fully described by Execution::Impl. Each handler is a label named exactly like its
// operation (plain Wasm instructions keep their opcode-table names, e.g. `i32_add`); handler
// addresses are stored in the code as 32-bit offsets from `dispatch_base`.
//
// Hot state lives in locals the compiler keeps in registers: pc, fp, the memory base and size,
// the fuel counter. Memory base/size are reloaded after every call, return and memory.grow.
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "exec/device_access.h"
#include "exec/execution.h"
#include "exec/interpreter_numeric.h"
#include "exec/numeric_ops.h"
#include "lower/lowered_ops.h"

namespace wasmio::detail {
namespace {

// Published once by run(nullptr); atomic because modules may be lowered on several threads.
std::atomic<const std::int32_t*> g_handler_offsets{nullptr};

RunOutcome run(Execution::Impl* ex_pointer);

}  // namespace

const std::int32_t* interpreter_handler_offsets() noexcept {
  if (g_handler_offsets.load(std::memory_order_acquire) == nullptr) run(nullptr);
  return g_handler_offsets.load(std::memory_order_acquire);
}

RunOutcome interpret(Execution::Impl& ex) noexcept { return run(&ex); }

namespace {

// Writes a result slot. On size-optimised (32-bit) builds an i32/f32 result is one 32-bit store
// and the slot's upper half is left as it was: every reader of an i32/f32 value looks at the low
// 32 bits only (U32/S32/F32, from_slot, global_value, HostCall::arg_i32, RefWord casts of the
// 32-bit target's references), and copies carry the whole slot. Hosts write the whole slot: a
// 32-bit store followed by a 64-bit copy of it would defeat store forwarding.
template <typename V>
[[gnu::always_inline]] inline void put(std::uint64_t* slot, V value) noexcept {
  static_assert(std::is_unsigned_v<V> && (sizeof(V) == 4 || sizeof(V) == 8));
#if defined(__OPTIMIZE_SIZE__)
  static_assert(std::endian::native == std::endian::little, "the low half is the first word");
  if constexpr (sizeof(V) == 4) {
    std::memcpy(slot, &value, sizeof value);
    return;
  }
#endif
  *slot = value;
}

// Operand access: the word at pc[i] names a frame slot.
#define SLOT(i) fp[pc[i]]
#define U32(i) static_cast<std::uint32_t>(fp[pc[i]])
#define S32(i) static_cast<std::int32_t>(static_cast<std::uint32_t>(fp[pc[i]]))
#define S64(i) static_cast<std::int64_t>(fp[pc[i]])
#define F32(i) f32_from(fp[pc[i]])
#define F64(i) f64_from(fp[pc[i]])
#define IMM64(i) (static_cast<std::uint64_t>(pc[i]) | static_cast<std::uint64_t>(pc[(i) + 1]) << 32)
#define OFFSET(i) static_cast<std::int32_t>(pc[i])

// Dispatch. Hosts replicate it into every handler (threaded code: one indirect jump per
// handler, better predicted). Size-optimised builds (the Cortex-M) share one copy: there the
// compiler's tail merging already chained two branches into each handler's dispatch; one
// direct branch to a single copy is both smaller and faster.
#define DISPATCH() goto* static_cast<void*>(dispatch_base + static_cast<std::int32_t>(*pc))
#if defined(__OPTIMIZE_SIZE__)
#define NEXT() goto next
#else
#define NEXT() DISPATCH()
#endif
#define TRAP(code)            \
  do {                        \
    trap_code = (code);       \
    goto do_trap;             \
  } while (false)
#define RELOAD_MEMORY()                                   \
  do {                                                    \
    const MemoryInstance* memory0 = inst->memory0;        \
    mem = memory0 != nullptr ? memory0->data : nullptr;   \
    mem_size = memory0 != nullptr ? memory0->size : 0;    \
  } while (false)

// Handler shapes. Each takes the handler's full name (its label) and the expression computing
// the result from `a` (and `b`).
#define I32_UNARY(label, expr)                        \
  label : {                                           \
    const std::uint32_t a = U32(2);                   \
    put(&fp[pc[1]], static_cast<std::uint32_t>(expr)); \
    pc += 3;                                          \
    NEXT();                                           \
  }
#define I64_UNARY(label, expr)                        \
  label : {                                           \
    const std::uint64_t a = SLOT(2);                  \
    fp[pc[1]] = static_cast<std::uint64_t>(expr);     \
    pc += 3;                                          \
    NEXT();                                           \
  }
#define I32_BINARY(label, expr)                       \
  label : {                                           \
    const std::uint32_t a = U32(2);                   \
    const std::uint32_t b = U32(3);                   \
    put(&fp[pc[1]], static_cast<std::uint32_t>(expr)); \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define I32_BINARY_IMM(label, expr)                   \
  label : {                                           \
    const std::uint32_t a = U32(2);                   \
    const std::uint32_t b = pc[3];                    \
    put(&fp[pc[1]], static_cast<std::uint32_t>(expr)); \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define I64_BINARY(label, expr)                       \
  label : {                                           \
    const std::uint64_t a = SLOT(2);                  \
    const std::uint64_t b = SLOT(3);                  \
    fp[pc[1]] = static_cast<std::uint64_t>(expr);     \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define I64_BINARY_IMM(label, expr)                   \
  label : {                                           \
    const std::uint64_t a = SLOT(2);                  \
    const std::uint64_t b = IMM64(3);                 \
    fp[pc[1]] = static_cast<std::uint64_t>(expr);     \
    pc += 5;                                          \
    NEXT();                                           \
  }
#define F32_UNARY(label, expr)                        \
  label : {                                           \
    const float a = F32(2);                           \
    put(&fp[pc[1]], bits_of(static_cast<float>(expr))); \
    pc += 3;                                          \
    NEXT();                                           \
  }
#define F64_UNARY(label, expr)                        \
  label : {                                           \
    const double a = F64(2);                          \
    fp[pc[1]] = slot_of(static_cast<double>(expr));   \
    pc += 3;                                          \
    NEXT();                                           \
  }
#define F32_BINARY(label, expr)                       \
  label : {                                           \
    const float a = F32(2);                           \
    const float b = F32(3);                           \
    put(&fp[pc[1]], bits_of(static_cast<float>(expr))); \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define F64_BINARY(label, expr)                       \
  label : {                                           \
    const double a = F64(2);                          \
    const double b = F64(3);                          \
    fp[pc[1]] = slot_of(static_cast<double>(expr));   \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define F32_COMPARE(label, expr)                      \
  label : {                                           \
    const float a = F32(2);                           \
    const float b = F32(3);                           \
    put(&fp[pc[1]], (expr) ? 1u : 0u);                \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define F64_COMPARE(label, expr)                      \
  label : {                                           \
    const double a = F64(2);                          \
    const double b = F64(3);                          \
    put(&fp[pc[1]], (expr) ? 1u : 0u);                \
    pc += 4;                                          \
    NEXT();                                           \
  }
// Conversions: `from` reads the operand, `expr` produces the slot value.
#define CONVERT(label, from, expr)                    \
  label : {                                           \
    const auto a = from(2);                           \
    fp[pc[1]] = (expr);                               \
    pc += 3;                                          \
    NEXT();                                           \
  }
// Trapping float -> integer conversions.
#define TRUNCATE(label, from, fits, expr)             \
  label : {                                           \
    const auto a = from(2);                           \
    if (!fits(a)) {                                   \
      TRAP(a != a ? ErrorCode::kInvalidConversionToInteger : ErrorCode::kIntegerOverflow); \
    }                                                 \
    fp[pc[1]] = (expr);                               \
    pc += 3;                                          \
    NEXT();                                           \
  }
// A taken backward branch into a loop body, past the loop's safe point: does the safe point's
// work (charge the region, whose count is the word before the target; check the deadline).
#define TAKE_LOOP_BRANCH(offset_index)                                              \
  do {                                                                              \
    pc += OFFSET(offset_index);                                                     \
    counter += pc[-1];                                                              \
    if (counter >= deadline.load(std::memory_order_relaxed)) [[unlikely]] {         \
      goto safe_point_slow;                                                         \
    }                                                                               \
    NEXT();                                                                         \
  } while (false)
// Conditional loop branches: size-optimised builds share one copy of the taken path per offset
// position (the `loop_branch_N` labels below) instead of one per condition.
#if defined(__OPTIMIZE_SIZE__)
#define LOOP_BRANCH(offset_index) goto loop_branch_##offset_index
#else
#define LOOP_BRANCH(offset_index) TAKE_LOOP_BRANCH(offset_index)
#endif
#define BRANCH_IF_LOOP(label, cond)                   \
  label : {                                           \
    if (cond) LOOP_BRANCH(3);                         \
    pc += 4;                                          \
    NEXT();                                           \
  }
#define BRANCH_IF(label, cond)                        \
  label : {                                           \
    if (cond) {                                       \
      pc += OFFSET(3);                                \
    } else {                                          \
      pc += 4;                                        \
    }                                                 \
    NEXT();                                           \
  }
// Loads: dst, addr, offset. T is the accessed type, `expr` widens `v` to the slot value. Outside
// linear memory: device apertures, then the embedder's hooks (exec/device_access.h).
#define LOAD(label, T, expr)                                                         \
  label : {                                                                          \
    const std::uint64_t address = static_cast<std::uint64_t>(U32(2)) + pc[3];       \
    T v;                                                                             \
    if (address + sizeof(T) <= mem_size) [[likely]] {                                \
      std::memcpy(&v, mem + address, sizeof(T));                                     \
    } else {                                                                         \
      std::uint64_t raw;                                                             \
      if (!load_outside<T>(inst->memory0, address, &raw, &trap_code)) goto do_trap;  \
      std::memcpy(&v, &raw, sizeof(T)); /* little-endian: the low bytes */           \
    }                                                                                \
    put(&fp[pc[1]], (expr));                                                         \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }
// Stores: addr, value, offset.
#define STORE(label, T)                                                              \
  label : {                                                                          \
    const std::uint64_t address = static_cast<std::uint64_t>(U32(1)) + pc[3];       \
    const T v = static_cast<T>(SLOT(2));                                             \
    if (address + sizeof(T) <= mem_size) [[likely]] {                                \
      std::memcpy(mem + address, &v, sizeof(T));                                     \
    } else if (!store_outside(inst->memory0, address, v, &trap_code)) {              \
      goto do_trap;                                                                  \
    }                                                                                \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }

// Handler entry points are reached only by indirect jumps; on x86-64 with GCC their placement
// swung one kernel (matmul_f64) by 40 % between otherwise equal builds. Aligning them makes the
// layout stable. Not on MCUs (-Os; flash matters more than fetch alignment there).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WASMIO_INTERPRETER_ATTRIBUTES __attribute__((optimize("align-labels=16")))
#else
#define WASMIO_INTERPRETER_ATTRIBUTES
#endif

WASMIO_INTERPRETER_ATTRIBUTES RunOutcome run(Execution::Impl* ex_pointer) {
  static const std::int32_t kHandlerOffsets[] = {
#define WASMIO_X(ident, text, prefix, code, imm, sig, bytes) \
  static_cast<std::int32_t>(reinterpret_cast<std::intptr_t>(&&ident) - reinterpret_cast<std::intptr_t>(&&dispatch_base)),
      WASMIO_OPCODES(WASMIO_X)
#undef WASMIO_X
#define WASMIO_X(ident, words) \
  static_cast<std::int32_t>(reinterpret_cast<std::intptr_t>(&&ident) - reinterpret_cast<std::intptr_t>(&&dispatch_base)),
      WASMIO_INTERNAL_OPS(WASMIO_X)
#undef WASMIO_X
  };
  static_assert(sizeof(kHandlerOffsets) / sizeof(kHandlerOffsets[0]) ==
                static_cast<unsigned>(LoweredOp::kCount));
  if (ex_pointer == nullptr) {
    g_handler_offsets.store(kHandlerOffsets, std::memory_order_release);
    return RunOutcome::kReturned;
  }

  Execution::Impl& ex = *ex_pointer;
  char* const dispatch_base = static_cast<char*>(&&dispatch_base);

  const std::uint32_t* pc = ex.pc;
  std::uint64_t* fp = ex.fp;
  const LoweredFunction* fn = ex.function;
  Instance* instance = ex.instance;
  Instance::Impl* inst = &instance->impl();
  FrameRecord* frame_top = ex.frames.data() + ex.frame_count;
  FrameRecord* const frame_end = ex.frames.data() + ex.frames.size();
  std::uint64_t* const stack_end = ex.stack.data() + ex.stack.size();
  FuelWord counter = ex.counter;
  const std::atomic<FuelWord>& deadline = ex.deadline;
  std::uint8_t* mem;
  std::uint64_t mem_size;
  RELOAD_MEMORY();

  ErrorCode trap_code = ErrorCode::kUnreachable;
  // Set by the call handlers for do_call.
  FunctionInstance* callee = nullptr;
  std::uint32_t arg_base = 0;
  const std::uint32_t* return_pc = nullptr;

#if defined(__OPTIMIZE_SIZE__)
next:
#endif
  DISPATCH();

dispatch_base:
  // ---- operations never emitted (folded by lowering) ------------------------------------
nop:
block:
loop:
if_:
else_:
end:
drop:
select_t:
local_get:
local_set:
local_tee:
f32_const:
f64_const:
ref_null:
unreachable:
  TRAP(ErrorCode::kUnreachable);

  // ---- control ----------------------------------------------------------------------------
br:
  pc += OFFSET(1);
  NEXT();
br_if:
  if (U32(1) != 0) {
    pc += OFFSET(2);
  } else {
    pc += 3;
  }
  NEXT();
br_if_eqz:
  if (U32(1) == 0) {
    pc += OFFSET(2);
  } else {
    pc += 3;
  }
  NEXT();
  BRANCH_IF(br_if_i32_eq, U32(1) == U32(2))
  BRANCH_IF(br_if_i32_ne, U32(1) != U32(2))
  BRANCH_IF(br_if_i32_lt_s, S32(1) < S32(2))
  BRANCH_IF(br_if_i32_lt_u, U32(1) < U32(2))
  BRANCH_IF(br_if_i32_gt_s, S32(1) > S32(2))
  BRANCH_IF(br_if_i32_gt_u, U32(1) > U32(2))
  BRANCH_IF(br_if_i32_le_s, S32(1) <= S32(2))
  BRANCH_IF(br_if_i32_le_u, U32(1) <= U32(2))
  BRANCH_IF(br_if_i32_ge_s, S32(1) >= S32(2))
  BRANCH_IF(br_if_i32_ge_u, U32(1) >= U32(2))
  BRANCH_IF(br_if_i32_eq_imm, U32(1) == pc[2])
  BRANCH_IF(br_if_i32_ne_imm, U32(1) != pc[2])
  BRANCH_IF(br_if_i32_lt_s_imm, S32(1) < static_cast<std::int32_t>(pc[2]))
  BRANCH_IF(br_if_i32_lt_u_imm, U32(1) < pc[2])
  BRANCH_IF(br_if_i32_gt_s_imm, S32(1) > static_cast<std::int32_t>(pc[2]))
  BRANCH_IF(br_if_i32_gt_u_imm, U32(1) > pc[2])
  BRANCH_IF(br_if_i32_le_s_imm, S32(1) <= static_cast<std::int32_t>(pc[2]))
  BRANCH_IF(br_if_i32_le_u_imm, U32(1) <= pc[2])
  BRANCH_IF(br_if_i32_ge_s_imm, S32(1) >= static_cast<std::int32_t>(pc[2]))
  BRANCH_IF(br_if_i32_ge_u_imm, U32(1) >= pc[2])
br_loop:
  TAKE_LOOP_BRANCH(1);
br_if_loop:
  if (U32(1) != 0) LOOP_BRANCH(2);
  pc += 3;
  NEXT();
br_if_eqz_loop:
  if (U32(1) == 0) LOOP_BRANCH(2);
  pc += 3;
  NEXT();
#if defined(__OPTIMIZE_SIZE__)
loop_branch_2:
  TAKE_LOOP_BRANCH(2);
loop_branch_3:
  TAKE_LOOP_BRANCH(3);
#endif
  BRANCH_IF_LOOP(br_if_i32_eq_loop, U32(1) == U32(2))
  BRANCH_IF_LOOP(br_if_i32_ne_loop, U32(1) != U32(2))
  BRANCH_IF_LOOP(br_if_i32_lt_s_loop, S32(1) < S32(2))
  BRANCH_IF_LOOP(br_if_i32_lt_u_loop, U32(1) < U32(2))
  BRANCH_IF_LOOP(br_if_i32_gt_s_loop, S32(1) > S32(2))
  BRANCH_IF_LOOP(br_if_i32_gt_u_loop, U32(1) > U32(2))
  BRANCH_IF_LOOP(br_if_i32_le_s_loop, S32(1) <= S32(2))
  BRANCH_IF_LOOP(br_if_i32_le_u_loop, U32(1) <= U32(2))
  BRANCH_IF_LOOP(br_if_i32_ge_s_loop, S32(1) >= S32(2))
  BRANCH_IF_LOOP(br_if_i32_ge_u_loop, U32(1) >= U32(2))
  BRANCH_IF_LOOP(br_if_i32_eq_imm_loop, U32(1) == pc[2])
  BRANCH_IF_LOOP(br_if_i32_ne_imm_loop, U32(1) != pc[2])
  BRANCH_IF_LOOP(br_if_i32_lt_s_imm_loop, S32(1) < static_cast<std::int32_t>(pc[2]))
  BRANCH_IF_LOOP(br_if_i32_lt_u_imm_loop, U32(1) < pc[2])
  BRANCH_IF_LOOP(br_if_i32_gt_s_imm_loop, S32(1) > static_cast<std::int32_t>(pc[2]))
  BRANCH_IF_LOOP(br_if_i32_gt_u_imm_loop, U32(1) > pc[2])
  BRANCH_IF_LOOP(br_if_i32_le_s_imm_loop, S32(1) <= static_cast<std::int32_t>(pc[2]))
  BRANCH_IF_LOOP(br_if_i32_le_u_imm_loop, U32(1) <= pc[2])
  BRANCH_IF_LOOP(br_if_i32_ge_s_imm_loop, S32(1) >= static_cast<std::int32_t>(pc[2]))
  BRANCH_IF_LOOP(br_if_i32_ge_u_imm_loop, U32(1) >= pc[2])
br_table: {
  std::uint32_t index = U32(1);
  const std::uint32_t count = pc[2];
  if (index > count) index = count;
  pc += OFFSET(3 + index);
  NEXT();
}

safe_point:
  counter += pc[1];
  pc += 2;
  if (counter >= deadline.load(std::memory_order_relaxed)) [[unlikely]] goto safe_point_slow;
  NEXT();

copy:
  fp[pc[1]] = fp[pc[2]];
  pc += 3;
  NEXT();
copy2:
  fp[pc[1]] = fp[pc[2]];
  fp[pc[3]] = fp[pc[4]];
  pc += 5;
  NEXT();
select:
  fp[pc[1]] = U32(4) != 0 ? SLOT(2) : SLOT(3);
  pc += 5;
  NEXT();
i32_const:
  fp[pc[1]] = pc[2];
  pc += 3;
  NEXT();
i64_const:
  fp[pc[1]] = IMM64(2);
  pc += 4;
  NEXT();

  // ---- calls and returns -----------------------------------------------------------------
call_internal: {
  const LoweredFunction* target = &fn->module->functions[pc[1]];
  std::uint64_t* callee_fp = fp + pc[2];
  if (callee_fp + target->frame_slots > stack_end || frame_top == frame_end) [[unlikely]] {
    TRAP(ErrorCode::kCallStackExhausted);
  }
  *frame_top++ = FrameRecord{pc + 3, fp, fn, instance};
  for (std::uint32_t i = target->param_slots; i < target->local_slots; ++i) callee_fp[i] = 0;
  fp = callee_fp;
  fn = target;
  pc = target->code.data();
  NEXT();
}
call:
  callee = inst->functions[pc[1]];
  arg_base = pc[2];
  return_pc = pc + 3;
  goto do_call;
call_indirect: {
  const TableInstance* table = inst->tables[pc[2]];
  const std::uint32_t index = U32(3);
  if (index >= table->elements.size()) TRAP(ErrorCode::kUndefinedElement);
  const RefWord ref = table->elements[index];
  if (ref == 0) TRAP(ErrorCode::kUninitializedElement);
  callee = reinterpret_cast<FunctionInstance*>(ref);
  if (callee->type_id != inst->type_ids[pc[1]]) TRAP(ErrorCode::kIndirectCallTypeMismatch);
  arg_base = pc[4];
  return_pc = pc + 5;
  goto do_call;
}
do_call: {
  if (callee->host != nullptr) {
    HostCall call{*ex.self, instance, callee->user_data, fp + arg_base};
    ex.counter = counter;  // the host may read or set fuel
    const HostStatus status = callee->host(call);
    counter = ex.counter;
    RELOAD_MEMORY();
    if (status == HostStatus::kReturn) [[likely]] {
      pc = return_pc;
      NEXT();
    }
    if (status == HostStatus::kTrap) TRAP(call.trap);
    // Suspended: pc stays on the call, so resuming calls the host function again.
    ex.reason = SuspendReason::kHost;
    goto do_suspend;
  }
  const LoweredFunction* target = callee->code;
  std::uint64_t* callee_fp = fp + arg_base;
  if (callee_fp + target->frame_slots > stack_end || frame_top == frame_end) [[unlikely]] {
    TRAP(ErrorCode::kCallStackExhausted);
  }
  *frame_top++ = FrameRecord{return_pc, fp, fn, instance};
  for (std::uint32_t i = target->param_slots; i < target->local_slots; ++i) callee_fp[i] = 0;
  fp = callee_fp;
  fn = target;
  pc = target->code.data();
  if (callee->instance != instance) {
    instance = callee->instance;
    inst = &instance->impl();
    RELOAD_MEMORY();
  }
  NEXT();
}
return_1:
  fp[0] = SLOT(1);
  goto return_;
return_: {
  const FrameRecord& record = *--frame_top;
  fp = record.fp;
  fn = record.function;
  if (record.instance != instance) {
    instance = record.instance;
    inst = &instance->impl();
  }
  RELOAD_MEMORY();  // the callee may have grown the memory
  pc = record.return_pc;
  if (pc == nullptr) [[unlikely]] {
    ex.pc = nullptr;
    ex.fp = fp;
    ex.function = fn;
    ex.instance = instance;
    ex.frame_count = static_cast<std::uint32_t>(frame_top - ex.frames.data());
    ex.counter = counter;
    return RunOutcome::kReturned;
  }
  NEXT();
}

  // ---- variables and references ------------------------------------------------------------
global_get:
  fp[pc[1]] = inst->globals[pc[2]]->value[0];
  pc += 3;
  NEXT();
global_set:
  inst->globals[pc[1]]->value[0] = SLOT(2);
  pc += 3;
  NEXT();
ref_is_null:
  put(&fp[pc[1]], static_cast<RefWord>(SLOT(2)) == 0 ? 1u : 0u);
  pc += 3;
  NEXT();
ref_func:
  fp[pc[1]] = reinterpret_cast<RefWord>(inst->functions[pc[2]]);
  pc += 3;
  NEXT();

  // ---- tables ---------------------------------------------------------------------------------
table_get: {
  const TableInstance* table = inst->tables[pc[2]];
  const std::uint32_t index = U32(3);
  if (index >= table->elements.size()) TRAP(ErrorCode::kOutOfBoundsTableAccess);
  fp[pc[1]] = table->elements[index];
  pc += 4;
  NEXT();
}
table_set: {
  TableInstance* table = inst->tables[pc[1]];
  const std::uint32_t index = U32(2);
  if (index >= table->elements.size()) TRAP(ErrorCode::kOutOfBoundsTableAccess);
  table->elements[index] = static_cast<RefWord>(SLOT(3));
  pc += 4;
  NEXT();
}
table_size:
  fp[pc[1]] = static_cast<std::uint32_t>(inst->tables[pc[2]]->elements.size());
  pc += 3;
  NEXT();
table_grow: {
  const std::int64_t old = inst->tables[pc[2]]->grow(U32(4), static_cast<RefWord>(SLOT(3)));
  fp[pc[1]] = static_cast<std::uint32_t>(old);
  pc += 5;
  NEXT();
}
table_fill: {
  TableInstance* table = inst->tables[pc[1]];
  const std::uint64_t index = U32(2);
  const RefWord value = static_cast<RefWord>(SLOT(3));
  const std::uint64_t count = U32(4);
  if (index + count > table->elements.size()) TRAP(ErrorCode::kOutOfBoundsTableAccess);
  for (std::uint64_t i = 0; i < count; ++i) table->elements[index + i] = value;
  pc += 5;
  NEXT();
}
table_copy: {
  TableInstance* dst_table = inst->tables[pc[1]];
  const TableInstance* src_table = inst->tables[pc[2]];
  const std::uint64_t dst = U32(3);
  const std::uint64_t src = U32(4);
  const std::uint64_t count = U32(5);
  if (dst + count > dst_table->elements.size() || src + count > src_table->elements.size()) {
    TRAP(ErrorCode::kOutOfBoundsTableAccess);
  }
  if (count != 0) {
    std::memmove(dst_table->elements.data() + dst, src_table->elements.data() + src,
                 count * sizeof(RefWord));
  }
  pc += 6;
  NEXT();
}
table_init: {
  const Vec<RefWord>& refs = inst->elems[pc[1]].refs;
  TableInstance* table = inst->tables[pc[2]];
  const std::uint64_t dst = U32(3);
  const std::uint64_t src = U32(4);
  const std::uint64_t count = U32(5);
  if (src + count > refs.size() || dst + count > table->elements.size()) {
    TRAP(ErrorCode::kOutOfBoundsTableAccess);
  }
  for (std::uint64_t i = 0; i < count; ++i) table->elements[dst + i] = refs[src + i];
  pc += 6;
  NEXT();
}
elem_drop: {
  Vec<RefWord>& refs = inst->elems[pc[1]].refs;
  refs.clear();
  refs.shrink_to_fit();
  pc += 2;
  NEXT();
}

  // ---- memory -----------------------------------------------------------------------------------
  LOAD(i32_load, std::uint32_t, v)
  LOAD(i64_load, std::uint64_t, v)
  LOAD(f32_load, std::uint32_t, v)
  LOAD(f64_load, std::uint64_t, v)
  LOAD(i32_load8_s, std::int8_t, static_cast<std::uint32_t>(static_cast<std::int32_t>(v)))
  LOAD(i32_load8_u, std::uint8_t, std::uint32_t{v})
  LOAD(i32_load16_s, std::int16_t, static_cast<std::uint32_t>(static_cast<std::int32_t>(v)))
  LOAD(i32_load16_u, std::uint16_t, std::uint32_t{v})
  LOAD(i64_load8_s, std::int8_t, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)))
  LOAD(i64_load8_u, std::uint8_t, std::uint64_t{v})
  LOAD(i64_load16_s, std::int16_t, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)))
  LOAD(i64_load16_u, std::uint16_t, std::uint64_t{v})
  LOAD(i64_load32_s, std::int32_t, static_cast<std::uint64_t>(static_cast<std::int64_t>(v)))
  LOAD(i64_load32_u, std::uint32_t, std::uint64_t{v})
  WASMIO_STORE_OPS(STORE)

memory_size:
  fp[pc[1]] = static_cast<std::uint32_t>(mem_size >> inst->memory0->type.page_size_log2);
  pc += 2;
  NEXT();
memory_grow: {
  const std::int64_t old = inst->memory0->grow(U32(2));
  RELOAD_MEMORY();
  fp[pc[1]] = static_cast<std::uint32_t>(old);
  pc += 3;
  NEXT();
}
memory_fill: {
  const std::uint64_t dst = U32(1);
  const std::uint8_t value = static_cast<std::uint8_t>(SLOT(2));
  const std::uint64_t count = U32(3);
  if (dst + count > mem_size) TRAP(ErrorCode::kOutOfBoundsMemoryAccess);
  if (count != 0) std::memset(mem + dst, value, count);
  pc += 4;
  NEXT();
}
memory_copy: {
  const std::uint64_t dst = U32(1);
  const std::uint64_t src = U32(2);
  const std::uint64_t count = U32(3);
  if (dst + count > mem_size || src + count > mem_size) TRAP(ErrorCode::kOutOfBoundsMemoryAccess);
  if (count != 0) std::memmove(mem + dst, mem + src, count);
  pc += 4;
  NEXT();
}
memory_init: {
  const Module::Impl& module = inst->module->impl();
  const DataSegment& segment = module.data_segments[pc[1]];
  const std::uint64_t length = inst->data_dropped[pc[1]] != 0 ? 0 : segment.init.size;
  const std::uint64_t dst = U32(2);
  const std::uint64_t src = U32(3);
  const std::uint64_t count = U32(4);
  if (src + count > length || dst + count > mem_size) TRAP(ErrorCode::kOutOfBoundsMemoryAccess);
  if (count != 0) std::memcpy(mem + dst, module.bytes.data() + segment.init.offset + src, count);
  pc += 5;
  NEXT();
}
data_drop:
  inst->data_dropped[pc[1]] = 1;
  pc += 2;
  NEXT();

  // ---- i32 ------------------------------------------------------------------------------------
  WASMIO_I32_UNARY_OPS(I32_UNARY)
  WASMIO_I32_BINARY_OPS(I32_BINARY)
i32_div_s: {
  const std::int32_t a = S32(2);
  const std::int32_t b = S32(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  if (a == INT32_MIN && b == -1) TRAP(ErrorCode::kIntegerOverflow);
  fp[pc[1]] = static_cast<std::uint32_t>(a / b);
  pc += 4;
  NEXT();
}
i32_div_u: {
  const std::uint32_t b = U32(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  fp[pc[1]] = U32(2) / b;
  pc += 4;
  NEXT();
}
i32_rem_s: {
  const std::int32_t a = S32(2);
  const std::int32_t b = S32(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  fp[pc[1]] = b == -1 ? 0u : static_cast<std::uint32_t>(a % b);
  pc += 4;
  NEXT();
}
i32_rem_u: {
  const std::uint32_t b = U32(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  fp[pc[1]] = U32(2) % b;
  pc += 4;
  NEXT();
}

  WASMIO_I32_BINARY_IMM_OPS(I32_BINARY_IMM)

  // ---- i64 ------------------------------------------------------------------------------------
  WASMIO_I64_UNARY_OPS(I64_UNARY)
  WASMIO_I64_BINARY_OPS(I64_BINARY)
i64_div_s: {
  const std::int64_t a = S64(2);
  const std::int64_t b = S64(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  if (a == INT64_MIN && b == -1) TRAP(ErrorCode::kIntegerOverflow);
  fp[pc[1]] = static_cast<std::uint64_t>(a / b);
  pc += 4;
  NEXT();
}
i64_div_u: {
  const std::uint64_t b = SLOT(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  fp[pc[1]] = SLOT(2) / b;
  pc += 4;
  NEXT();
}
i64_rem_s: {
  const std::int64_t a = S64(2);
  const std::int64_t b = S64(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  fp[pc[1]] = b == -1 ? 0u : static_cast<std::uint64_t>(a % b);
  pc += 4;
  NEXT();
}
i64_rem_u: {
  const std::uint64_t b = SLOT(3);
  if (b == 0) TRAP(ErrorCode::kIntegerDivideByZero);
  fp[pc[1]] = SLOT(2) % b;
  pc += 4;
  NEXT();
}

  WASMIO_I64_BINARY_IMM_OPS(I64_BINARY_IMM)

  // ---- f32 / f64 ------------------------------------------------------------------------------
  WASMIO_F32_COMPARE_OPS(F32_COMPARE)
  WASMIO_F64_COMPARE_OPS(F64_COMPARE)

f32_abs:
  fp[pc[1]] = SLOT(2) & 0x7FFFFFFFu;
  pc += 3;
  NEXT();
f32_neg:
  fp[pc[1]] = (SLOT(2) ^ 0x80000000u) & 0xFFFFFFFFu;
  pc += 3;
  NEXT();
  WASMIO_F32_UNARY_OPS(F32_UNARY)
  WASMIO_F32_BINARY_OPS(F32_BINARY)
f32_copysign:
  fp[pc[1]] = (SLOT(2) & 0x7FFFFFFFu) | (SLOT(3) & 0x80000000u);
  pc += 4;
  NEXT();
f64_abs:
  fp[pc[1]] = SLOT(2) & 0x7FFFFFFFFFFFFFFFull;
  pc += 3;
  NEXT();
f64_neg:
  fp[pc[1]] = SLOT(2) ^ 0x8000000000000000ull;
  pc += 3;
  NEXT();
  WASMIO_F64_UNARY_OPS(F64_UNARY)
  WASMIO_F64_BINARY_OPS(F64_BINARY)
f64_copysign:
  fp[pc[1]] = (SLOT(2) & 0x7FFFFFFFFFFFFFFFull) | (SLOT(3) & 0x8000000000000000ull);
  pc += 4;
  NEXT();

  // ---- conversions ----------------------------------------------------------------------------
  WASMIO_CONVERT_OPS(CONVERT)
  WASMIO_TRUNCATE_OPS(TRUNCATE)

  // ---- leaving the loop -------------------------------------------------------------------------
safe_point_slow:
  switch (ex.at_deadline(counter)) {
    case SafePointVerdict::kContinue:
      NEXT();
    case SafePointVerdict::kSuspendFuel:
      ex.reason = SuspendReason::kFuel;
      goto do_suspend;
    case SafePointVerdict::kSuspendPreempt:
      ex.reason = SuspendReason::kPreempt;
      goto do_suspend;
    case SafePointVerdict::kTrapFuel:
      pc -= 2;  // report the safe point's location
      TRAP(ErrorCode::kFuelExhausted);
    case SafePointVerdict::kTrapStop:
      pc -= 2;
      TRAP(ErrorCode::kStopped);
  }
  TRAP(ErrorCode::kStopped);

do_suspend:
  ex.pc = pc;
  ex.fp = fp;
  ex.function = fn;
  ex.instance = instance;
  ex.frame_count = static_cast<std::uint32_t>(frame_top - ex.frames.data());
  ex.counter = counter;
  return RunOutcome::kSuspended;

do_trap:
  ex.pc = pc;
  ex.fp = fp;
  ex.function = fn;
  ex.instance = instance;
  ex.frame_count = static_cast<std::uint32_t>(frame_top - ex.frames.data());
  ex.counter = counter;
  ex.trap_code = trap_code;
  return RunOutcome::kTrapped;
}

}  // namespace
}  // namespace wasmio::detail
