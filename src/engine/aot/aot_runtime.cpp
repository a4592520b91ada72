// The engine side of AOT code: the Runtime table generated code calls on its cold paths,
// attaching an image to an instance, and running a native function from Execution::invoke.
#include <cstring>

#include "aot/aot_abi.h"
#include "aot/aot_run.h"
#include "exec/device_access.h"
#include "module_impl.h"

namespace wasmio {
namespace detail::aot {
namespace {

const LoweredFunction* lowered_at(const Context& cx, std::uint32_t fn) noexcept {
  return &cx.lowered->functions[fn];
}

// This frame is where the run stopped: the interpreter's registers as it would have saved them.
void record_here(Context& cx, std::uint32_t fn, std::uint32_t pc, std::uint64_t* fp,
                 std::uint32_t depth) noexcept {
  Execution::Impl& ex = *cx.ex;
  const LoweredFunction* f = lowered_at(cx, fn);
  ex.pc = f->code.data() + pc;
  ex.fp = fp;
  ex.function = f;
  ex.instance = cx.instance;
  ex.frame_count = depth + 1;
  ex.counter = cx.counter;
}

int trap(Context& cx, std::uint32_t fn, std::uint32_t pc, std::uint64_t* fp, std::uint32_t depth,
         ErrorCode code) {
  record_here(cx, fn, pc, fp, depth);
  cx.ex->trap_code = code;
  return kTrap;
}

int safe_point(Context& cx, std::uint32_t fn, std::uint32_t resume_pc, std::uint32_t report_pc,
               std::uint64_t* fp, std::uint32_t depth) {
  Execution::Impl& ex = *cx.ex;
  FuelWord counter = cx.counter;
  const SafePointVerdict verdict = ex.at_deadline(counter);
  cx.counter = counter;
  switch (verdict) {
    case SafePointVerdict::kContinue:
      return kOk;
    case SafePointVerdict::kSuspendFuel:
    case SafePointVerdict::kSuspendPreempt:
      ex.reason = verdict == SafePointVerdict::kSuspendFuel ? SuspendReason::kFuel : SuspendReason::kPreempt;
      record_here(cx, fn, resume_pc, fp, depth);
      return kSuspend;
    case SafePointVerdict::kTrapFuel:
      return trap(cx, fn, report_pc, fp, depth, ErrorCode::kFuelExhausted);
    case SafePointVerdict::kTrapStop:
      break;
  }
  return trap(cx, fn, report_pc, fp, depth, ErrorCode::kStopped);
}

void unwind(Context& cx, std::uint32_t fn, std::uint32_t return_pc, std::uint64_t* fp,
            std::uint32_t depth) {
  Execution::Impl& ex = *cx.ex;
  // A stop recorded at this very frame (a host trap, a refused call) has no callee record to
  // write; frames[depth + 1] may not even exist then.
  if (ex.frame_count <= depth + 1) return;
  const LoweredFunction* f = lowered_at(cx, fn);
  ex.frames[depth + 1] = FrameRecord{f->code.data() + return_pc, fp, f, cx.instance};
}

Context context_for(Execution::Impl& ex, Instance* instance, const Context* parent) noexcept {
  Context cx{};
  cx.ex = &ex;
  cx.instance = instance;
  cx.inst = &instance->impl();
  cx.lowered = instance->module().impl().lowered;
  cx.rt = &runtime();
  cx.stack_end = ex.stack.data() + ex.stack.size();
  cx.max_frames = static_cast<std::uint32_t>(ex.frames.size());
  if (parent != nullptr) {
    cx.native_floor = parent->native_floor;
    cx.counter = parent->counter;
  } else {
    const std::uintptr_t here = frame_address();
    const std::uintptr_t budget = ex.config.native_stack_bytes;
    cx.native_floor = here > budget ? here - budget : 0;
    cx.counter = ex.counter;
  }
  return cx;
}

int call(Context& cx, FunctionInstance* callee, std::uint32_t fn, std::uint32_t call_pc,
         std::uint64_t* fp, std::uint32_t argbase, std::uint32_t depth) {
  Execution::Impl& ex = *cx.ex;
  std::uint64_t* callee_fp = fp + argbase;
  if (callee->host != nullptr) {
    HostCall host_call{*ex.self, cx.instance, callee->user_data, callee_fp};
    ex.counter = cx.counter;  // the host may read or set fuel
    const HostStatus status = callee->host(host_call);
    cx.counter = ex.counter;
    if (status == HostStatus::kReturn) return kOk;
    if (status == HostStatus::kTrap) return trap(cx, fn, call_pc, fp, depth, host_call.trap);
    // As the interpreter: pc stays on the call, so resuming calls the host function again.
    ex.reason = SuspendReason::kHost;
    record_here(cx, fn, call_pc, fp, depth);
    return kSuspendHere;
  }
  const LoweredFunction* target = callee->code;
  if (callee_fp + target->frame_slots > cx.stack_end || depth + 1 >= cx.max_frames ||
      frame_address() < cx.native_floor) {
    return trap(cx, fn, call_pc, fp, depth, ErrorCode::kCallStackExhausted);
  }
  if (callee->native != nullptr) {
    Context sub = context_for(ex, callee->instance, &cx);
    const int status = callee->native(&sub, callee_fp, depth + 1);
    cx.counter = sub.counter;
    return status;
  }
  // No native code there: the interpreter runs the callee until its frame returns (its record
  // returns to nullptr); on a trap or suspension our caller overwrites that record.
  for (std::uint32_t i = target->param_slots; i < target->local_slots; ++i) callee_fp[i] = 0;
  ex.frames[depth + 1] = FrameRecord{nullptr, fp, lowered_at(cx, fn), cx.instance};
  ex.pc = target->code.data();
  ex.fp = callee_fp;
  ex.function = target;
  ex.instance = callee->instance;
  ex.frame_count = depth + 2;
  ex.counter = cx.counter;
  const RunOutcome outcome = interpret(ex);
  cx.counter = ex.counter;
  switch (outcome) {
    case RunOutcome::kReturned: return kOk;
    case RunOutcome::kSuspended: return kSuspend;
    case RunOutcome::kTrapped: break;
  }
  return kTrap;
}

bool load(MemoryInstance* memory, std::uint64_t address, unsigned bytes, std::uint64_t* value,
          ErrorCode* trap_code) {
  return outside_load(*memory, address, bytes, value, trap_code);
}
bool store(MemoryInstance* memory, std::uint64_t address, unsigned bytes, std::uint64_t value,
           ErrorCode* trap_code) {
  return outside_store(*memory, address, bytes, value, trap_code);
}

std::int64_t memory_grow(MemoryInstance* memory, std::uint64_t delta) { return memory->grow(delta); }

ErrorCode memory_init(Instance::Impl* inst, std::uint32_t segment_index, std::uint64_t dst,
                      std::uint64_t src, std::uint64_t count) {
  const Module::Impl& module = inst->module->impl();
  const DataSegment& segment = module.data_segments[segment_index];
  const std::uint64_t length = inst->data_dropped[segment_index] != 0 ? 0 : segment.init.size;
  const MemoryInstance* memory = inst->memory0;
  const std::uint64_t mem_size = memory != nullptr ? memory->size : 0;
  if (src + count > length || dst + count > mem_size) return ErrorCode::kOutOfBoundsMemoryAccess;
  if (count != 0) std::memcpy(memory->data + dst, module.bytes.data() + segment.init.offset + src, count);
  return ErrorCode::kUnreachable;
}

void data_drop(Instance::Impl* inst, std::uint32_t segment) { inst->data_dropped[segment] = 1; }

// The interpreter's table handlers, one switch (none of them is hot in drivers).
ErrorCode table_op(Instance::Impl* inst, int op, std::uint32_t a, std::uint32_t b, std::uint64_t x,
                   std::uint64_t y, std::uint64_t z, std::uint64_t* result) {
  constexpr ErrorCode kOkCode = ErrorCode::kUnreachable;
  switch (op) {
    case kTableGet: {
      const TableInstance* table = inst->tables[a];
      if (x >= table->elements.size()) return ErrorCode::kOutOfBoundsTableAccess;
      *result = table->elements[x];
      return kOkCode;
    }
    case kTableSet: {
      TableInstance* table = inst->tables[a];
      if (x >= table->elements.size()) return ErrorCode::kOutOfBoundsTableAccess;
      table->elements[x] = static_cast<RefWord>(y);
      return kOkCode;
    }
    case kTableSize:
      *result = static_cast<std::uint32_t>(inst->tables[a]->elements.size());
      return kOkCode;
    case kTableGrow:  // x = init value, y = delta
      *result = static_cast<std::uint32_t>(inst->tables[a]->grow(y, static_cast<RefWord>(x)));
      return kOkCode;
    case kTableFill: {  // x = index, y = value, z = count
      TableInstance* table = inst->tables[a];
      if (x + z > table->elements.size()) return ErrorCode::kOutOfBoundsTableAccess;
      for (std::uint64_t i = 0; i < z; ++i) table->elements[x + i] = static_cast<RefWord>(y);
      return kOkCode;
    }
    case kTableCopy: {  // a = dst table, b = src table; x = dst, y = src, z = count
      TableInstance* dst_table = inst->tables[a];
      const TableInstance* src_table = inst->tables[b];
      if (x + z > dst_table->elements.size() || y + z > src_table->elements.size()) {
        return ErrorCode::kOutOfBoundsTableAccess;
      }
      if (z != 0) {
        std::memmove(dst_table->elements.data() + x, src_table->elements.data() + y, z * sizeof(RefWord));
      }
      return kOkCode;
    }
    case kTableInit: {  // a = elem segment, b = table; x = dst, y = src, z = count
      const Vec<RefWord>& refs = inst->elems[a].refs;
      TableInstance* table = inst->tables[b];
      if (y + z > refs.size() || x + z > table->elements.size()) return ErrorCode::kOutOfBoundsTableAccess;
      for (std::uint64_t i = 0; i < z; ++i) table->elements[x + i] = refs[y + i];
      return kOkCode;
    }
    case kElemDrop: {
      Vec<RefWord>& refs = inst->elems[a].refs;
      refs.clear();
      refs.shrink_to_fit();
      return kOkCode;
    }
    default:
      break;
  }
  return ErrorCode::kUnreachable;
}

constexpr Runtime kRuntime{trap, safe_point, unwind, call, load, store, memory_grow,
                           memory_init, data_drop, table_op};

}  // namespace

const Runtime& runtime() noexcept { return kRuntime; }

RunOutcome run_native(Execution::Impl& ex, FunctionInstance* function) noexcept {
  Context cx = context_for(ex, function->instance, nullptr);
  const int status = function->native(&cx, ex.stack.data(), 0);
  ex.counter = cx.counter;
  switch (status) {
    case kOk:
      ex.pc = nullptr;
      ex.frame_count = 0;
      return RunOutcome::kReturned;
    case kTrap:
      return RunOutcome::kTrapped;
    default:
      return RunOutcome::kSuspended;
  }
}

}  // namespace detail::aot

std::uint64_t aot_module_hash(std::span<const std::uint8_t> bytes) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const std::uint8_t b : bytes) {
    h ^= b;
    h *= 0x100000001b3ull;
  }
  return h;
}

Expected<void> Instance::attach_native(const AotImage& image) noexcept {
  if (image.abi_version != detail::aot::kAbiVersion || image.layout != detail::aot::kLayout) {
    return unexpected(ErrorCode::kNativeAbiMismatch);
  }
  const Module::Impl& m = impl_->module->impl();
  if (m.lowered == nullptr) return unexpected(ErrorCode::kNativeModuleMismatch);
  const std::span<const std::uint8_t> bytes = m.bytes;
  const std::uint32_t defined = static_cast<std::uint32_t>(m.lowered->functions.size());
  if (image.module_size != bytes.size() || image.module_hash != aot_module_hash(bytes) ||
      image.function_count != defined || (defined != 0 && image.functions == nullptr)) {
    return unexpected(ErrorCode::kNativeModuleMismatch);
  }
  for (std::uint32_t i = 0; i < defined; ++i) {
    if (image.functions[i] == nullptr) return unexpected(ErrorCode::kNativeModuleMismatch);
  }
  for (std::uint32_t i = 0; i < defined; ++i) {
    impl_->functions[m.lowered->imported_function_count + i]->native = image.functions[i];
  }
  impl_->run_native = [](Execution::Impl& ex, FunctionInstance* function) noexcept {
    return static_cast<int>(detail::aot::run_native(ex, function));
  };
  return {};
}

bool Instance::has_native() const noexcept {
  const std::uint32_t imported = impl_->module->impl().lowered != nullptr
                                     ? impl_->module->impl().lowered->imported_function_count
                                     : 0;
  return impl_->functions.size() > imported && impl_->functions[imported]->native != nullptr;
}

}  // namespace wasmio
