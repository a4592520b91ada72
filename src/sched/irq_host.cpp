// The guest interrupt interface (module "wasmio_irq", sdk/include/wasmio/irq.h): a container
// enables, disables and acknowledges only its own lines, waits for events from its handlers and
// posts events to its task. Anything aimed at a line it does not own traps that container only.
#include <algorithm>
#include <array>

#include "scheduler_internal.h"

namespace wasmio::sched {

namespace {

using C = Scheduler::Container;
using H = Scheduler::Handler;

constexpr ValType kI32 = ValType::kI32;
constexpr ValType kI64 = ValType::kI64;
constexpr std::array<ValType, 1> kOneI32{kI32};
constexpr std::array<ValType, 2> kTwoI32{kI32, kI32};
constexpr std::array<ValType, 1> kOneI64{kI64};

C& container(HostCall& call) { return *static_cast<C*>(call.user_data); }

// The handler for `line` if this container owns it; else the call traps.
H* owned(HostCall& call, std::uint32_t line) {
  return container(call).find_line(line);
}

void charge(HostCall& call) {
  C& c = container(call);
  c.scheduler->sync_time();
  c.scheduler->platform().consume(c.scheduler->costs().host_call);
}

bool from_task(HostCall& call) {
  C& c = container(call);
  return c.task_execution && &call.execution == c.task_execution.get();
}

}  // namespace

// Friend of Scheduler: reaches update_line and the trace.
struct IrqHostAccess {
  static void update_line(Scheduler& s, H& h) { s.update_line(h); }
  static void trace(Scheduler& s, TraceEvent e) { s.trace().add(std::move(e)); }
};

namespace {

// i32 line_of(i32 n): the line of the container's n-th handler (manifest order), or -1.
HostStatus line_of(HostCall& call) {
  C& c = container(call);
  const std::uint32_t n = call.arg_i32(0);
  call.set_i32(0, n < c.handlers.size() ? c.handlers[n]->spec.line : 0xFFFFFFFFu);
  return HostStatus::kReturn;
}

// i32 line_named(i32 name, i32 length): the line whose handler is the export `name`, or -1.
HostStatus line_named(HostCall& call) {
  C& c = container(call);
  const std::span<std::uint8_t> memory = call.memory();
  const std::uint64_t at = call.arg_i32(0), length = call.arg_i32(1);
  if (at + length > memory.size()) return call.fail(ErrorCode::kOutOfBoundsMemoryAccess);
  const std::string_view name(reinterpret_cast<const char*>(memory.data() + at), length);
  std::uint32_t line = 0xFFFFFFFFu;
  for (const auto& h : c.handlers) {
    if (h->spec.export_name == name) line = h->spec.line;
  }
  call.set_i32(0, line);
  return HostStatus::kReturn;
}

HostStatus enable(HostCall& call) {
  charge(call);
  H* h = owned(call, call.arg_i32(0));
  if (h == nullptr) return call.fail(ErrorCode::kAccessViolation);
  h->guest_enabled = true;
  // Re-enabling after a fault (notify policy) clears it.
  if (h->state == H::State::kFaulted) h->state = H::State::kIdle;
  IrqHostAccess::update_line(*container(call).scheduler, *h);
  return HostStatus::kReturn;
}

HostStatus disable(HostCall& call) {
  charge(call);
  H* h = owned(call, call.arg_i32(0));
  if (h == nullptr) return call.fail(ErrorCode::kAccessViolation);
  h->guest_enabled = false;
  IrqHostAccess::update_line(*container(call).scheduler, *h);
  return HostStatus::kReturn;
}

// Acknowledge: drop an arrival latched at the controller (ICPR) for the guest's own line, after
// it cleared the cause at the device.
HostStatus acknowledge(HostCall& call) {
  charge(call);
  const std::uint32_t line = call.arg_i32(0);
  if (owned(call, line) == nullptr) return call.fail(ErrorCode::kAccessViolation);
  container(call).scheduler->platform().clear_pending(line);
  return HostStatus::kReturn;
}

HostStatus event_post(HostCall& call) {
  charge(call);
  IrqHost::post(container(call), call.arg_i32(0));
  return HostStatus::kReturn;
}

// i32 event_poll(i32 mask): the flags of `mask` that are set, cleared; never blocks.
HostStatus event_poll(HostCall& call) {
  charge(call);
  C& c = container(call);
  const std::uint32_t bits = c.event_flags & call.arg_i32(0);
  c.event_flags &= ~bits;
  call.set_i32(0, bits);
  return HostStatus::kReturn;
}

// i32 event_wait(i32 mask): blocks the task (only) until a flag of `mask` is set.
HostStatus event_wait(HostCall& call) {
  C& c = container(call);
  if (!from_task(call)) return call.fail(ErrorCode::kHostTrap);  // handlers never block
  const std::uint32_t mask = call.arg_i32(0);
  const std::uint32_t bits = c.event_flags & mask;
  if (bits != 0) {
    charge(call);
    c.event_flags &= ~bits;
    c.wait_mask = 0;
    call.set_i32(0, bits);
    return HostStatus::kReturn;
  }
  if (mask == 0) return call.fail(ErrorCode::kHostTrap);  // would never wake
  c.wait_mask = mask;
  c.task_state = TaskState::kWaitingEvent;
  return HostStatus::kSuspend;
}

// wait_period(): ends the current job of a periodic task; returns at its next release.
HostStatus wait_period(HostCall& call) {
  C& c = container(call);
  if (!from_task(call) || !c.spec.task || c.spec.task->period == 0) {
    return call.fail(ErrorCode::kHostTrap);
  }
  if (c.period_wait_armed) {  // retried on resume: the scheduler released the next job
    c.period_wait_armed = false;
    return HostStatus::kReturn;
  }
  Scheduler& s = *c.scheduler;
  s.sync_time();
  const Cycles now = s.platform().now();
  ++c.task_stats.jobs;
  if (!c.job_miss_counted) {
    if (now <= c.release + c.deadline()) {
      ++c.task_stats.deadlines_met;
    } else {
      ++c.task_stats.deadlines_missed;
      IrqHostAccess::trace(s, {now, 0, TraceKind::kDeadlineMiss, c.id, 0, "job finished late"});
    }
  }
  if (now >= c.next_release) {  // late: the next job is released already
    c.release = c.next_release;
    c.next_release += c.spec.task->period;
    // Its deadline may have been counted as missed while the previous job ran.
    c.job_miss_counted = c.miss_check_at > c.release + c.deadline();
    c.miss_check_at = std::max(c.miss_check_at, c.release + c.deadline());
    return HostStatus::kReturn;
  }
  c.period_wait_armed = true;
  c.task_state = TaskState::kWaitingPeriod;
  return HostStatus::kSuspend;
}

// i64 now_us(): platform time in microseconds.
HostStatus now_us(HostCall& call) {
  container(call).scheduler->sync_time();
  Platform& p = container(call).scheduler->platform();
  call.set_i64(0, p.now() * 1'000'000 / p.cycles_per_second());
  return HostStatus::kReturn;
}

struct Entry {
  std::string_view name;
  HostFunction function;
  std::span<const ValType> params;
  std::span<const ValType> results;
};

const Entry kEntries[] = {
    {"line_of", &line_of, kOneI32, kOneI32},
    {"line_named", &line_named, kTwoI32, kOneI32},
    {"enable", &enable, kOneI32, {}},
    {"disable", &disable, kOneI32, {}},
    {"acknowledge", &acknowledge, kOneI32, {}},
    {"event_post", &event_post, kOneI32, {}},
    {"event_poll", &event_poll, kOneI32, kOneI32},
    {"event_wait", &event_wait, kOneI32, kOneI32},
    {"wait_period", &wait_period, {}, {}},
    {"now_us", &now_us, {}, kOneI64},
};

}  // namespace

FunctionInstance* IrqHost::make(C& c, Store& store, std::string_view name,
                                const FuncType& expected) {
  for (const Entry& e : kEntries) {
    if (e.name != name) continue;
    const FuncType type{e.params, e.results};
    if (!(type == expected)) return nullptr;
    return store.add_host_function(type, e.function, &c, e.name);
  }
  return nullptr;
}

void IrqHost::post(C& c, std::uint32_t bits) {
  c.event_flags |= bits;
  if (c.task_state == TaskState::kWaitingEvent && (c.event_flags & c.wait_mask) != 0) {
    c.task_state = TaskState::kReady;
  }
}

}  // namespace wasmio::sched
