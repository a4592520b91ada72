// Execution: the embedder's handle on one Wasm call stack (invoke, suspend/resume, fuel,
// asynchronous stop/preempt, trap backtraces).
#include "exec/execution.h"

#include <algorithm>
#include <limits>

namespace wasmio {

namespace {

using detail::FuelWord;

// Deadlines stay below half the word so `counter += region` can never wrap between checks.
constexpr FuelWord kMaxDeadline = std::numeric_limits<FuelWord>::max() / 2;

std::uint64_t to_slot(const Value& v) noexcept {
  switch (v.type) {
    case ValType::kI32: return v.of.i32;
    case ValType::kF32: return v.f32_bits();
    case ValType::kI64: return v.of.i64;
    case ValType::kF64: return v.f64_bits();
    case ValType::kFuncRef:
    case ValType::kExternRef: return v.of.ref;
    case ValType::kV128: break;
  }
  return 0;
}

Value from_slot(ValType type, std::uint64_t slot) noexcept {
  switch (type) {
    case ValType::kI32: return Value::i32(static_cast<std::uint32_t>(slot));
    case ValType::kI64: return Value::i64(slot);
    case ValType::kF32: return Value::f32_bits(static_cast<std::uint32_t>(slot));
    case ValType::kF64: return Value::f64_bits(slot);
    case ValType::kFuncRef: return Value::funcref(static_cast<RefWord>(slot));
    case ValType::kExternRef: return Value::externref(static_cast<RefWord>(slot));
    case ValType::kV128: break;
  }
  return Value::zero(type);
}

}  // namespace

// ---- the fuel word protocol -------------------------------------------------------------------

void Execution::Impl::arm_deadline() noexcept {
  fuel_base += counter;
  counter = 0;
  std::uint64_t remaining = 0;
  if (fuel_limit == UINT64_MAX) {
    remaining = kMaxDeadline;
  } else if (fuel_limit > fuel_base) {
    remaining = fuel_limit - fuel_base;
  }
  deadline.store(remaining > kMaxDeadline ? kMaxDeadline : static_cast<FuelWord>(remaining));
  // A request that raced with the store above has set its flag first: re-raise it.
  if (requests.load() != 0) deadline.store(0);
}

detail::SafePointVerdict Execution::Impl::at_deadline(FuelWord& counter_register) noexcept {
  using detail::SafePointVerdict;
  for (;;) {
    const std::uint32_t request = requests.exchange(0);
    if ((request & detail::kRequestStop) != 0) return SafePointVerdict::kTrapStop;
    if ((request & detail::kRequestPreempt) != 0) return SafePointVerdict::kSuspendPreempt;
    if (fuel_limit != UINT64_MAX && fuel_base + counter_register >= fuel_limit) {
      return config.fuel_policy == FuelPolicy::kSuspend ? SafePointVerdict::kSuspendFuel
                                                        : SafePointVerdict::kTrapFuel;
    }
    // Only the word's range ran out (or a request was already handled): rebase and re-arm.
    counter = counter_register;
    arm_deadline();
    counter_register = counter;
    if (counter_register < deadline.load()) return SafePointVerdict::kContinue;
  }
}

// ---- Execution --------------------------------------------------------------------------------

void* Execution::operator new(std::size_t size) {
  void* p = detail::hook_allocate(size, alignof(Execution));
  if (p == nullptr) detail::out_of_host_memory();
  return p;
}
void Execution::operator delete(void* pointer, std::size_t size) noexcept {
  detail::hook_deallocate(pointer, size, alignof(Execution));
}

Execution::Execution(const ExecutionConfig& config) : impl_(detail::hook_new<Impl>()) {
  impl_->self = this;
  impl_->config = config;
  impl_->stack.resize(config.stack_slots);
  // One record per Wasm frame: the entry frame's record returns to the embedder.
  impl_->frames.resize(config.max_frames > 0 ? config.max_frames : 1);
  impl_->arm_deadline();
}

Execution::~Execution() { detail::hook_delete(impl_); }

namespace {

Expected<RunState> finish(Execution::Impl& ex, detail::RunOutcome outcome) {
  switch (outcome) {
    case detail::RunOutcome::kReturned: {
      const auto& types = ex.entry->type.results;
      ex.results.clear();
      for (std::size_t i = 0; i < types.size(); ++i) ex.results.push_back(from_slot(types[i], ex.stack[i]));
      ex.state = RunState::kReturned;
      ex.reason = SuspendReason::kNone;
      return RunState::kReturned;
    }
    case detail::RunOutcome::kSuspended:
      ex.state = RunState::kSuspended;
      return RunState::kSuspended;
    case detail::RunOutcome::kTrapped:
      break;
  }
  // Trap: the backtrace, innermost first. The trapping frame's pc is at its operation; callers'
  // return pcs are one past their call.
  ex.backtrace.clear();
  Error error = make_error(ex.trap_code);
  if (ex.function != nullptr && ex.pc != nullptr) {
    auto add = [&](const detail::LoweredFunction* fn, Instance* instance, std::uint32_t index) {
      BacktraceFrame frame;
      frame.function_index = fn->function_index;
      frame.name = instance != nullptr ? instance->module().function_name(fn->function_index)
                                       : std::string_view{};
      frame.code_offset = fn->binary_offset_at(index);
      ex.backtrace.push_back(frame);
    };
    add(ex.function, ex.instance, static_cast<std::uint32_t>(ex.pc - ex.function->code.data()));
    error.offset = ex.backtrace.back().code_offset - ex.function->body_offset;
    error.index = ex.function->function_index;
    for (std::uint32_t i = ex.frame_count; i-- > 1;) {
      const detail::FrameRecord& record = ex.frames[i];
      add(record.function, record.instance,
          static_cast<std::uint32_t>(record.return_pc - record.function->code.data()) - 1);
    }
  }
  ex.state = RunState::kIdle;
  ex.reason = SuspendReason::kNone;
  ex.frame_count = 0;
  return Unexpected{error};
}

Expected<RunState> run_host_entry(Execution::Impl& ex) {
  HostCall call{*ex.self, nullptr, ex.entry->user_data, ex.stack.data()};
  ex.running = true;
  const HostStatus status = ex.entry->host(call);
  ex.running = false;
  if (status == HostStatus::kReturn) return finish(ex, detail::RunOutcome::kReturned);
  if (status == HostStatus::kSuspend) {
    ex.reason = SuspendReason::kHost;
    return finish(ex, detail::RunOutcome::kSuspended);
  }
  ex.backtrace.clear();
  ex.state = RunState::kIdle;
  return unexpected(call.trap);
}

Expected<RunState> run_wasm(Execution::Impl& ex) {
  ex.arm_deadline();
  ex.running = true;
  const detail::RunOutcome outcome = detail::interpret(ex);
  ex.running = false;
  return finish(ex, outcome);
}

// The AOT tier (docs/design/0015): a suspended native run is resumed by the interpreter.
Expected<RunState> run_native(Execution::Impl& ex, FunctionInstance* function) {
  ex.arm_deadline();
  ex.running = true;
  const auto outcome = static_cast<detail::RunOutcome>(function->instance->impl().run_native(ex, function));
  ex.running = false;
  return finish(ex, outcome);
}

}  // namespace

Expected<RunState> Execution::invoke(FunctionInstance* function, std::span<const Value> args) {
  Impl& ex = *impl_;
  if (ex.running || ex.state == RunState::kSuspended) return unexpected(ErrorCode::kBusy);
  if (function == nullptr || args.size() != function->type.params.size()) {
    return unexpected(ErrorCode::kArgumentMismatch);
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != function->type.params[i]) return unexpected(ErrorCode::kArgumentMismatch);
  }
  ex.results.clear();
  ex.backtrace.clear();
  ex.reason = SuspendReason::kNone;
  ex.state = RunState::kIdle;
  ex.requests.store(0);  // requests aimed at an earlier run are stale
  ex.entry = function;
  ex.entry_is_host = function->host != nullptr;

  const std::size_t needed = function->code != nullptr
                                 ? function->code->frame_slots
                                 : std::max(function->type.params.size(), function->type.results.size());
  if (needed > ex.stack.size()) return unexpected(ErrorCode::kCallStackExhausted);
  for (std::size_t i = 0; i < args.size(); ++i) ex.stack[i] = to_slot(args[i]);
  if (ex.entry_is_host) return run_host_entry(ex);

  const detail::LoweredFunction* code = function->code;
  for (std::uint32_t i = code->param_slots; i < code->local_slots; ++i) ex.stack[i] = 0;
  ex.frames[0] = detail::FrameRecord{nullptr, ex.stack.data(), nullptr, function->instance};
  ex.frame_count = 1;
  ex.pc = code->code.data();
  ex.fp = ex.stack.data();
  ex.function = code;
  ex.instance = function->instance;
  if (function->native != nullptr && ex.config.use_native && function->instance->impl().run_native != nullptr) {
    return run_native(ex, function);
  }
  return run_wasm(ex);
}

Expected<RunState> Execution::resume() {
  Impl& ex = *impl_;
  if (ex.running) return unexpected(ErrorCode::kBusy);
  if (ex.state != RunState::kSuspended) return unexpected(ErrorCode::kNotResumable);
  ex.reason = SuspendReason::kNone;
  if (ex.entry_is_host) return run_host_entry(ex);
  return run_wasm(ex);
}

void Execution::abandon() noexcept {
  Impl& ex = *impl_;
  if (ex.running || ex.state != RunState::kSuspended) return;
  ex.state = RunState::kIdle;
  ex.reason = SuspendReason::kNone;
  ex.frame_count = 0;
}

RunState Execution::state() const noexcept { return impl_->state; }
SuspendReason Execution::suspend_reason() const noexcept {
  return impl_->state == RunState::kSuspended ? impl_->reason : SuspendReason::kNone;
}
std::span<const Value> Execution::results() const noexcept {
  return {impl_->results.data(), impl_->results.size()};
}
std::span<const BacktraceFrame> Execution::backtrace() const noexcept {
  return {impl_->backtrace.data(), impl_->backtrace.size()};
}

void Execution::set_fuel(std::uint64_t units) noexcept {
  Impl& ex = *impl_;
  const std::uint64_t consumed = ex.consumed();
  ex.fuel_limit = units >= UINT64_MAX - consumed ? UINT64_MAX - 1 : consumed + units;
  ex.arm_deadline();
}
std::uint64_t Execution::fuel_consumed() const noexcept { return impl_->consumed(); }
std::uint64_t Execution::fuel_remaining() const noexcept {
  const Impl& ex = *impl_;
  if (ex.fuel_limit == UINT64_MAX) return UINT64_MAX;
  const std::uint64_t consumed = ex.consumed();
  return ex.fuel_limit > consumed ? ex.fuel_limit - consumed : 0;
}

void Execution::request_preempt() noexcept {
  impl_->requests.fetch_or(detail::kRequestPreempt);
  impl_->deadline.store(0);
}
void Execution::request_stop() noexcept {
  impl_->requests.fetch_or(detail::kRequestStop);
  impl_->deadline.store(0);
}

// ---- host calls -------------------------------------------------------------------------------

std::span<std::uint8_t> HostCall::memory() const noexcept {
  if (caller == nullptr) return {};
  MemoryInstance* memory = caller->impl().memory0;
  if (memory == nullptr) return {};
  return {memory->data, static_cast<std::size_t>(memory->size)};
}

}  // namespace wasmio
