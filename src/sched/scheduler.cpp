#include "scheduler.h"

#include <algorithm>
#include <cstdio>

#include "probe.h"
#include "scheduler_internal.h"

namespace wasmio::sched {

namespace {

constexpr std::uint64_t kMaxSliceFuel = 1u << 20;  // bounds a slice when nothing else does

const char* reason_text(SuspendReason r) {
  switch (r) {
    case SuspendReason::kFuel: return "fuel slice";
    case SuspendReason::kPreempt: return "preempted";
    case SuspendReason::kHost: return "blocked";
    default: return "suspended";
  }
}

std::string trap_text(const Error& e) {
  std::string s = "trap: ";
  s += e.message();
  return s;
}

bool is_void_function(const FunctionInstance* f) {
  const FuncType t = Store::function_type(f);
  return t.params.empty() && t.results.empty();
}

}  // namespace

const char* task_state_name(TaskState state) {
  switch (state) {
    case TaskState::kNone: return "none";
    case TaskState::kReady: return "ready";
    case TaskState::kWaitingEvent: return "waiting-event";
    case TaskState::kWaitingPeriod: return "waiting-period";
    case TaskState::kThrottled: return "throttled";
    case TaskState::kReturned: return "returned";
    case TaskState::kFaulted: return "faulted";
    case TaskState::kStopped: return "stopped";
  }
  return "?";
}

Scheduler::Scheduler(Platform& platform, CostModel costs, SchedulerLimits limits)
    : platform_(platform),
      costs_(costs),
      max_slice_cycles_(costs.fuel_to_cycles(kMaxSliceFuel)),
      fuel_shift_(costs.cycles_per_fuel != 0 &&
                          (costs.cycles_per_fuel & (costs.cycles_per_fuel - 1)) == 0
                      ? __builtin_ctzll(costs.cycles_per_fuel)
                      : -1),
      line_count_(platform.line_count()),
      lines_(std::make_unique<LineSlot[]>(line_count_)),
      pending_(std::make_unique<std::atomic<std::uint32_t>[]>((line_count_ + 31) / 32)),
      event_slot_count_(limits.event_slots != 0 ? limits.event_slots : 1),
      event_slots_(std::make_unique<EventSlot[]>(event_slot_count_)),
      isr_ring_(limits.isr_trace_events),
      virtual_time_(platform.virtual_time()) {
  for (std::uint32_t w = 0; w < (line_count_ + 31) / 32; ++w) pending_[w].store(0);
  platform_.set_sink(this);
}

Scheduler::~Scheduler() {
#ifdef WASMIO_SCHED_PROBE_COUNTER
  for (unsigned a = 0; a < probe::activations && a < probe::kActivations; ++a) {
    const std::uint32_t* r = probe::recorded[a];
    std::printf("sched-probe e0=%lu woken=%lu timers=%lu picked=%lu invoke=%lu (ticks after E0 entry)\n",
                static_cast<unsigned long>(r[probe::kE0Exit] - r[probe::kE0Entry]),
                static_cast<unsigned long>(r[probe::kWoken] - r[probe::kE0Entry]),
                static_cast<unsigned long>(r[probe::kTimersDone] - r[probe::kE0Entry]),
                static_cast<unsigned long>(r[probe::kPicked] - r[probe::kE0Entry]),
                static_cast<unsigned long>(r[probe::kInvoke] - r[probe::kE0Entry]));
  }
  probe::activations = 0;
#endif
  platform_.set_sink(nullptr);
  while (e0_active_.load() != 0) {  // an E0 entered through the old sink on another context
  }
  for (auto& c : containers_) {
    if (c) teardown_instance(*c);
  }
}

Scheduler::Container* Scheduler::get(ContainerId id) const {
  return id < containers_.size() ? containers_[id].get() : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

bool Scheduler::instantiate(Container& c, std::string* error) {
  const Module& m = *c.spec.module;
  auto store = std::make_unique<Store>();
  std::vector<Extern> externs(m.import_count());
  if (c.spec.imports && !c.spec.imports(*store, m, externs, error)) return false;
  for (std::uint32_t i = 0; i < m.import_count(); ++i) {
    if (externs[i].object != nullptr) continue;
    const ImportInfo import = m.import(i);
    FunctionInstance* f = nullptr;
    if (import.module == kIrqImportModule && import.kind == ExternKind::kFunction) {
      f = IrqHost::make(c, *store, import.name, import.function);
    }
    if (f == nullptr) {
      *error = "import " + std::string(import.module) + "." + std::string(import.name) +
               " is not provided (or has the wrong type)";
      return false;
    }
    externs[i] = Extern::of(f);
  }
  InstanceOptions options;
  options.limits = c.spec.limits;
  auto instance = store->instantiate(m, externs, options);
  if (!instance) {
    *error = std::string("cannot instantiate: ") + instance.error().message();
    return false;
  }
  ExecutionConfig config = c.spec.execution;
  config.fuel_policy = FuelPolicy::kSuspend;
  for (auto& h : c.handlers) {
    h->function = (*instance)->exported_function(h->spec.export_name);
    if (h->function == nullptr || !is_void_function(h->function)) {
      *error = "handler \"" + h->spec.export_name + "\" is not an exported () -> () function";
      return false;
    }
    h->execution = std::make_unique<Execution>(config);
    h->state = Handler::State::kIdle;
    h->invoked = false;
    h->guest_enabled = h->spec.enabled_at_start;
  }
  if (c.spec.task) {
    c.task_function = (*instance)->exported_function(c.spec.task->export_name);
    if (c.task_function == nullptr || !is_void_function(c.task_function)) {
      *error = "task \"" + c.spec.task->export_name + "\" is not an exported () -> () function";
      return false;
    }
    c.task_execution = std::make_unique<Execution>(config);
  }
  c.store = std::move(store);
  c.instance = *instance;
  error->clear();
  if (c.spec.on_instance && !c.spec.on_instance(*c.instance, error)) {
    if (error->empty()) *error = "the instance was refused (on_instance)";
    return false;  // the caller tears the instance down
  }
  return true;
}

void Scheduler::teardown_instance(Container& c) {
  last_ran_ = nullptr;  // its executions go away
  for (auto& h : c.handlers) {
    if (h->execution) h->execution->abandon();
    if (h->unmasked || h->state != Handler::State::kIdle) {
      platform_.mask(h->spec.line);
      h->unmasked = false;
    }
    if (h->state == Handler::State::kPending || h->state == Handler::State::kRunning ||
        h->state == Handler::State::kFaulted) {
      platform_.complete(h->spec.line);  // E0 acknowledged it: leave the controller inactive
    }
    h->state = Handler::State::kIdle;
    h->invoked = false;
    h->execution.reset();
    h->function = nullptr;
  }
  if (c.task_execution) c.task_execution->abandon();
  c.task_execution.reset();
  c.task_function = nullptr;
  c.task_invoked = false;
  c.instance = nullptr;
  c.store.reset();
}

std::optional<ContainerId> Scheduler::install(ContainerSpec spec, std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  if (!spec.module || spec.module->stage() != LoadStage::kLower) {
    *error = "container '" + spec.name + "': no lowered module";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < spec.handlers.size(); ++i) {
    const std::uint32_t line = spec.handlers[i].line;
    if (line >= platform_.line_count()) {
      *error = "container '" + spec.name + "': line " + std::to_string(line) + " does not exist";
      return std::nullopt;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.handlers[j].line == line) {
        *error = "container '" + spec.name + "': two handlers for line " + std::to_string(line);
        return std::nullopt;
      }
    }
    for (const auto& other : containers_) {
      if (other && other->find_line(line) != nullptr) {
        *error = "container '" + spec.name + "': line " + std::to_string(line) +
                 " belongs to container '" + other->spec.name + "'";
        return std::nullopt;
      }
    }
    if (lines_[line].kind.load() == LineSlot::kNative) {
      *error = "container '" + spec.name + "': line " + std::to_string(line) +
               " has a native handler";
      return std::nullopt;
    }
  }
  std::uint32_t event_slot = event_slot_count_;
  for (std::uint32_t i = 0; i < event_slot_count_ && event_slot == event_slot_count_; ++i) {
    if (event_slots_[i].id_plus_one.load() == 0) event_slot = i;
  }
  if (event_slot == event_slot_count_) {
    *error = "container '" + spec.name + "': " + std::to_string(event_slot_count_) +
             " containers are installed already (SchedulerLimits::event_slots)";
    return std::nullopt;
  }
  if (spec.task && spec.task->reservation_budget != 0 && spec.task->reservation_period == 0 &&
      spec.task->period == 0) {
    *error = "container '" + spec.name + "': a reservation needs a period";
    return std::nullopt;
  }
  auto c = std::make_unique<Container>();
  c->scheduler = this;
  c->spec = std::move(spec);
  c->id = static_cast<ContainerId>(containers_.size());
  c->event_slot = event_slot;
  for (const HandlerSpec& hs : c->spec.handlers) {
    auto h = std::make_unique<Handler>();
    h->owner = c.get();
    h->spec = hs;
    c->handlers.push_back(std::move(h));
  }
  if (!instantiate(*c, error)) {
    teardown_instance(*c);
    *error = "container '" + c->spec.name + "': " + *error;
    return std::nullopt;
  }
  for (auto& h : c->handlers) {
    platform_.mask(h->spec.line);
    platform_.set_priority(h->spec.line, h->spec.priority);
    trace_.name_handler(c->id, h->spec.line, h->spec.export_name);
    LineSlot& slot = lines_[h->spec.line];
    slot.handler = h.get();
    slot.priority.store(h->spec.priority);
    slot.container.store(c->id);
    slot.kind.store(LineSlot::kWasm, std::memory_order_release);
  }
  EventSlot& events = event_slots_[event_slot];
  events.flags.store(0);
  events.id_plus_one.store(c->id + 1, std::memory_order_release);
  trace_.name_container(c->id, c->spec.name);
  trace_.add({platform_.now(), 0, TraceKind::kContainerLifecycle, c->id, 0, "installed"});
  const ContainerId id = c->id;
  containers_.push_back(std::move(c));
  return id;
}

bool Scheduler::start(ContainerId id) {
  Container* c = get(id);
  if (c == nullptr || c->started || c->instance == nullptr) return false;
  c->started = true;
  timers_valid_ = false;
  const Cycles now = platform_.now();
  if (c->spec.task) {
    c->task_state = TaskState::kReady;
    c->task_invoked = false;
    c->release = now;
    c->next_release = now + c->spec.task->period;
    c->period_wait_armed = false;
    c->job_miss_counted = false;
    c->miss_check_at = now + c->deadline();
    c->reservation_used = 0;
    c->reservation_window = now;
  }
  for (auto& h : c->handlers) update_line(*h);
  trace_.add({now, 0, TraceKind::kContainerLifecycle, id, 0, "started"});
  return true;
}

void Scheduler::mask_all(Container& c) {
  for (auto& h : c.handlers) {
    if (h->unmasked) platform_.mask(h->spec.line);
    h->unmasked = false;
  }
}

bool Scheduler::stop(ContainerId id) {
  Container* c = get(id);
  if (c == nullptr) return false;
  timers_valid_ = false;
  mask_all(*c);
  discard_pending(*c);
  for (auto& h : c->handlers) {
    if (h->execution) h->execution->abandon();
    if (h->state != Handler::State::kIdle) platform_.complete(h->spec.line);
    h->state = Handler::State::kIdle;
    h->invoked = false;
  }
  if (c->task_execution) c->task_execution->abandon();
  c->task_invoked = false;
  if (c->spec.task) c->task_state = TaskState::kStopped;
  c->started = false;
  trace_.add({platform_.now(), 0, TraceKind::kContainerLifecycle, id, 0, "stopped"});
  return true;
}

bool Scheduler::remove(ContainerId id) {
  Container* c = get(id);
  if (c == nullptr) return false;
  stop(id);
  teardown_instance(*c);
  for (auto& h : c->handlers) {
    LineSlot& slot = lines_[h->spec.line];
    slot.kind.store(LineSlot::kFree, std::memory_order_release);
    slot.handler = nullptr;
  }
  discard_pending(*c);  // an E0 that raced with the unpublishing above
  event_slots_[c->event_slot].id_plus_one.store(0, std::memory_order_release);
  trace_.add({platform_.now(), 0, TraceKind::kContainerLifecycle, id, 0, "removed"});
  containers_[id].reset();
  return true;
}

bool Scheduler::attach_native(std::uint32_t line, std::uint8_t priority, NativeHandler handler) {
  if (line >= line_count_ || handler.function == nullptr) return false;
  LineSlot& slot = lines_[line];
  if (slot.kind.load() != LineSlot::kFree) return false;
  slot.native = handler;
  slot.priority.store(priority);
  slot.kind.store(LineSlot::kNative, std::memory_order_release);
  platform_.set_priority(line, priority);
  platform_.unmask(line);
  return true;
}

void Scheduler::post_deferred(std::function<void()> work, Cycles cost) {
  deferred_.push_back(Deferred{std::move(work), cost});
}

// ---------------------------------------------------------------------------------------------
// E0: native interrupt entry
// ---------------------------------------------------------------------------------------------

void Scheduler::on_interrupt(std::uint32_t line) {
  WASMIO_SCHED_PROBE(kE0Entry);
  e0_active_.fetch_add(1);
  if (line >= line_count_) {  // the platform has no such line: nothing to touch
    spurious_.fetch_add(1, std::memory_order_relaxed);
    e0_active_.fetch_sub(1);
    return;
  }
  const Cycles now = platform_.now();
  LineSlot& slot = lines_[line];
  const std::uint8_t kind = slot.kind.load(std::memory_order_acquire);
  if (kind == LineSlot::kNative) {
    platform_.acknowledge(line);
    slot.native.function(slot.native.context, line, now + costs_.exception_entry);
    if (virtual_time_) {
      e0_debt_.fetch_add(static_cast<std::uint32_t>(costs_.exception_entry + slot.native.cost +
                                                    costs_.exception_exit));
    }
    platform_.complete(line);
    e0_active_.fetch_sub(1);
    return;
  }
  if (virtual_time_) {
    e0_debt_.fetch_add(static_cast<std::uint32_t>(costs_.exception_entry + costs_.e0_prologue +
                                                  costs_.exception_exit));
  }
  platform_.acknowledge(line);
  platform_.mask(line);
  if (kind == LineSlot::kFree) {
    spurious_.fetch_add(1, std::memory_order_relaxed);
    platform_.complete(line);
    e0_active_.fetch_sub(1);
    return;
  }
  // The line stays masked until the loop has drained this bit: nobody else writes raised_at.
  slot.raised_at = now;
  pending_[line / 32].fetch_or(1u << (line % 32), std::memory_order_release);
  if (isr_trace_.load(std::memory_order_relaxed)) {
    isr_ring_.push(IsrEvent{now, slot.container.load(std::memory_order_relaxed), line,
                            static_cast<std::uint8_t>(TraceKind::kIrqRaised)});
  }
  // Preempt the running execution at its next safe point if this handler is more urgent. A
  // handler the loop then defers (inter-arrival) or refuses costs one extra safe-point stop.
  if (slot.priority.load(std::memory_order_relaxed) < running_level_.load()) {
    if (Execution* ex = running_.load()) ex->request_preempt();
  }
  e0_active_.fetch_sub(1);
  WASMIO_SCHED_PROBE(kE0Exit);
}

bool Scheduler::post_event(ContainerId id, std::uint32_t flags) noexcept {
  e0_active_.fetch_add(1);
  bool found = false;
  for (std::uint32_t i = 0; i < event_slot_count_ && !found; ++i) {
    EventSlot& slot = event_slots_[i];
    if (slot.id_plus_one.load(std::memory_order_acquire) != id + 1) continue;
    slot.flags.fetch_or(flags, std::memory_order_release);
    events_posted_.store(1, std::memory_order_release);
    found = true;
  }
  // A task may have become ready: let the loop re-pick at the running task's next safe point.
  if (found && running_level_.load() == kLevelTask) {
    if (Execution* ex = running_.load()) ex->request_preempt();
  }
  e0_active_.fetch_sub(1);
  return found;
}

bool Scheduler::e0_pending() const {
  if (events_posted_.load() != 0) return true;
  for (std::uint32_t w = 0; w < (line_count_ + 31) / 32; ++w) {
    if (pending_[w].load() != 0) return true;
  }
  return false;
}

void Scheduler::set_running(Execution* ex, std::uint16_t level) {
  if (ex != nullptr) {
    running_level_.store(level);
    running_.store(ex);
    return;
  }
  running_.store(nullptr);
  running_level_.store(kLevelIdle);
  // An E0 on another thread may still hold the old pointer: wait until it has left.
  while (e0_active_.load() != 0) {
  }
}

void Scheduler::drain_e0() {
  IsrEvent e;
  isr_trace_.store(trace_.enabled(), std::memory_order_relaxed);
  while (isr_ring_.pop(&e)) {
    if (!trace_.recording()) {  // full (or disabled since the push): no record to build
      trace_.count_lost();
      continue;
    }
    const LineSlot& slot = lines_[e.line];
    std::string detail;
    if (slot.handler != nullptr && slot.handler->owner->id == e.container) {
      detail = slot.handler->spec.export_name;
    }
    trace_.add({e.time, 0, static_cast<TraceKind>(e.kind), e.container, e.line,
                std::move(detail)});
  }
  for (std::uint32_t w = 0; w < (line_count_ + 31) / 32; ++w) {
    if (pending_[w].load(std::memory_order_relaxed) == 0) continue;  // a load is cheaper
    std::uint32_t bits = pending_[w].exchange(0, std::memory_order_acquire);
    while (bits != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(bits));
      bits &= bits - 1;
      accept_arrival(w * 32 + bit);
    }
  }
  if (events_posted_.load(std::memory_order_relaxed) != 0 &&
      events_posted_.exchange(0, std::memory_order_acquire) != 0) {
    for (std::uint32_t i = 0; i < event_slot_count_; ++i) {
      const std::uint32_t id = event_slots_[i].id_plus_one.load(std::memory_order_acquire);
      if (id == 0) continue;
      const std::uint32_t flags = event_slots_[i].flags.exchange(0, std::memory_order_acquire);
      Container* c = get(id - 1);
      if (flags != 0 && c != nullptr) IrqHost::post(*c, flags);
    }
  }
}

// E0 acknowledged and masked `line` at `raised_at`; the model's rules decide what follows.
void Scheduler::accept_arrival(std::uint32_t line) {
  LineSlot& slot = lines_[line];
  Handler* h = slot.handler;
  const Cycles now = slot.raised_at;
  if (h == nullptr || h->state != Handler::State::kIdle || !h->owner->started) {
    // No handler can take it now: keep it masked (the owner unmasks when it is ready).
    if (h == nullptr) spurious_.fetch_add(1, std::memory_order_relaxed);
    if (h != nullptr) h->unmasked = false;
    platform_.complete(line);
    return;
  }
  h->unmasked = false;
  Container& c = *h->owner;
  const Cycles min_ia = h->spec.min_interarrival;
  if (min_ia != 0 && h->have_last && now - h->last_release < min_ia) {
    const Cycles allowed = h->last_release + min_ia;
    if (h->spec.arrival == ArrivalPolicy::kDrop) {
      ++h->stats.dropped;
      trace_.add({now, 0, TraceKind::kArrivalDropped, c.id, line, ""});
      platform_.complete(line);
      h->unmask_at = allowed;  // masked until arrivals are allowed again (release_timers)
      note_timer(allowed);
      return;
    }
    ++h->stats.deferred;
    trace_.add({now, 0, TraceKind::kArrivalDeferred, c.id, line, ""});
    h->state = Handler::State::kPending;
    h->raised_at = now;
    h->release_at = allowed;
    h->last_release = allowed;
    note_timer(allowed);
    return;
  }
  h->state = Handler::State::kPending;
  h->raised_at = now;
  h->release_at = now;
  h->last_release = now;
  h->have_last = true;
}

void Scheduler::discard_pending(Container& c) {
  for (auto& h : c.handlers) {
    const std::uint32_t line = h->spec.line;
    const std::uint32_t bit = 1u << (line % 32);
    if ((pending_[line / 32].fetch_and(~bit) & bit) != 0) platform_.complete(line);
  }
}

void Scheduler::sync_time() {
  const Execution* running = running_.load(std::memory_order_relaxed);
  if (running == nullptr) return;
  const std::uint64_t consumed = running->fuel_consumed();
  if (consumed <= charged_fuel_) return;
  const std::uint64_t fuel = consumed - charged_fuel_;
  charged_fuel_ = consumed;
  platform_.consume(costs_.fuel_to_cycles(fuel));  // may take interrupts (E0)
}

void Scheduler::pay_e0_debt() {
  for (;;) {
    const Cycles d = e0_debt_.exchange(0);
    if (d == 0) break;
    platform_.consume(d);  // may take further interrupts
  }
}

void Scheduler::update_line(Handler& h) {
  const Cycles now = platform_.now();
  const bool open = h.owner->started && h.guest_enabled && h.state == Handler::State::kIdle &&
                    now >= h.unmask_at;
  if (open == h.unmasked) return;
  h.unmasked = open;
  if (open) {
    platform_.unmask(h.spec.line);  // may enter on_interrupt at once (a latched arrival)
  } else {
    platform_.mask(h.spec.line);
  }
}

// ---------------------------------------------------------------------------------------------
// Timers: periods, deadlines, reservations, deferred releases
// ---------------------------------------------------------------------------------------------

void Scheduler::release_timers(Cycles now) {
  drain_e0();
  if (timers_valid_ && now < next_timer_) return;  // nothing is due: no scan
  for (auto& cp : containers_) {
    if (!cp || !cp->started) continue;
    Container& c = *cp;
    for (auto& h : c.handlers) {
      if (h->state == Handler::State::kIdle && !h->unmasked && h->unmask_at != 0 &&
          now >= h->unmask_at) {
        h->unmask_at = 0;
        update_line(*h);
      }
    }
    if (!c.spec.task) continue;
    const TaskSpec& t = *c.spec.task;
    const bool in_job = c.task_state == TaskState::kReady ||
                        c.task_state == TaskState::kThrottled ||
                        c.task_state == TaskState::kWaitingEvent;
    // A job still running at its deadline is a miss; each further period it keeps running is
    // one more (those releases cannot complete in time either).
    while (t.period != 0 && in_job && !c.period_wait_armed && now > c.miss_check_at) {
      if (c.miss_check_at == c.release + c.deadline()) c.job_miss_counted = true;
      c.miss_check_at += t.period;
      ++c.task_stats.deadlines_missed;
      trace_.add({now, 0, TraceKind::kDeadlineMiss, c.id, 0, "deadline passed"});
    }
    if (c.task_state == TaskState::kWaitingPeriod && now >= c.next_release) {
      c.release = c.next_release;
      c.next_release += t.period;
      c.job_miss_counted = false;
      c.miss_check_at = c.release + c.deadline();
      c.task_state = TaskState::kReady;
    }
    if (t.reservation_budget != 0) {
      const Cycles rp = c.reservation_period();
      if (now >= c.reservation_window + rp) {
        c.reservation_window += (now - c.reservation_window) / rp * rp;
        c.reservation_used = 0;
        if (c.task_state == TaskState::kThrottled) c.task_state = TaskState::kReady;
      }
    }
  }
  next_timer_ = scan_timers(now);
  timers_valid_ = true;
}

void Scheduler::note_timer(Cycles at) {
  if (at < next_timer_) next_timer_ = at;
}

Cycles Scheduler::next_timer(Cycles now) const {
  // The cache holds the earliest timer after the last scan; when it is due (or unknown) the
  // answer is the scan's: the earliest timer after `now`.
  if (timers_valid_ && next_timer_ > now) return next_timer_;
  return scan_timers(now);
}

Cycles Scheduler::scan_timers(Cycles now) const {
  Cycles next = kNever;
  auto consider = [&](Cycles t) {
    if (t > now && t < next) next = t;
  };
  for (const auto& cp : containers_) {
    if (!cp || !cp->started) continue;
    const Container& c = *cp;
    for (const auto& h : c.handlers) {
      if (h->state == Handler::State::kPending) consider(h->release_at);
      if (h->unmask_at != 0) consider(h->unmask_at);
    }
    if (!c.spec.task) continue;
    const TaskSpec& t = *c.spec.task;
    if (c.task_state == TaskState::kWaitingPeriod) consider(c.next_release);
    if (t.period != 0 && !c.period_wait_armed) consider(c.miss_check_at + 1);
    if (t.reservation_budget != 0) consider(c.reservation_window + c.reservation_period());
  }
  return next;
}

Cycles Scheduler::slice_end(Cycles now) const {
  return std::min(platform_.next_external_event(), next_timer(now));
}

std::uint64_t Scheduler::slice_fuel(Cycles now) const {
  const Cycles end = slice_end(now);
  return fuel_for(end > now ? std::min(end - now, max_slice_cycles_) : 0);
}

std::uint64_t Scheduler::fuel_for(Cycles span) const {
  if (fuel_shift_ < 0) return costs_.cycles_to_fuel(span);
  const std::uint64_t f = span >> fuel_shift_;  // cycles_per_fuel is a power of two
  return f == 0 ? 1 : f;
}

// ---------------------------------------------------------------------------------------------
// Picking and running
// ---------------------------------------------------------------------------------------------

Scheduler::Handler* Scheduler::pick_handler(Cycles now) {
  drain_e0();
  Handler* best = nullptr;
  auto better = [](const Handler& a, const Handler& b) {
    if (a.spec.priority != b.spec.priority) return a.spec.priority < b.spec.priority;
    const bool ra = a.state == Handler::State::kRunning;
    const bool rb = b.state == Handler::State::kRunning;
    if (ra != rb) return ra;  // equal priority never preempts
    if (a.release_at != b.release_at) return a.release_at < b.release_at;
    return a.spec.line < b.spec.line;
  };
  for (auto& cp : containers_) {
    if (!cp || !cp->started) continue;
    for (auto& hp : cp->handlers) {
      Handler& h = *hp;
      // An undeferred arrival is ready at once (it may carry a stamp later than `now`, read
      // before the drain); a deferred one at its release.
      const bool ready = h.state == Handler::State::kRunning ||
                         (h.state == Handler::State::kPending &&
                          (h.release_at <= now || h.release_at == h.raised_at));
      if (ready && (best == nullptr || better(h, *best))) best = &h;
    }
  }
  return best;
}

Scheduler::Container* Scheduler::pick_task() {
  Container* best = nullptr;
  for (auto& cp : containers_) {
    if (!cp || !cp->started || cp->task_state != TaskState::kReady) continue;
    if (best == nullptr || cp->spec.task->priority < best->spec.task->priority) best = cp.get();
  }
  return best;
}

void Scheduler::run_handler(Handler& h) {
  Container& c = *h.owner;
  Execution& ex = *h.execution;
  // A context switch costs dispatch; continuing the same execution after a slice boundary
  // (a device event that preempted nothing) is free, as it would be on hardware.
  if (virtual_time_ && (last_ran_ != &ex || h.state == Handler::State::kPending)) {
    platform_.consume(costs_.dispatch);
  }
  last_ran_ = &ex;
  const Cycles start = platform_.now();
  // The first instruction of the activation runs now; its latency statistics are written once
  // the slice ended (off the way to that instruction).
  const bool first_slice = h.state == Handler::State::kPending;
  const std::uint64_t consumed = ex.fuel_consumed();
  if (first_slice) {
    h.state = Handler::State::kRunning;
    h.fuel_start = consumed;
    h.work = 0;
  }
  std::uint64_t fuel = slice_fuel(start);
  if (h.spec.budget_fuel != 0) {
    const std::uint64_t used = consumed - h.fuel_start;
    const std::uint64_t left = used < h.spec.budget_fuel ? h.spec.budget_fuel - used : 0;
    fuel = std::min(fuel, std::max<std::uint64_t>(left, 1));
  }
  ex.set_fuel(fuel);
  charged_fuel_ = consumed;  // set_fuel does not change what was consumed
  running_handler_ = &h;
  set_running(&ex, h.spec.priority);
  if (e0_pending()) {  // an arrival since the pick (during dispatch): pick again first
    set_running(nullptr, kLevelIdle);
    running_handler_ = nullptr;
    if (first_slice) record_latency(h, start);
    return;
  }
  if (!h.invoked) {
    WASMIO_SCHED_PROBE(kInvoke);
    WASMIO_SCHED_PROBE_KEEP();
  }
  auto result = h.invoked ? ex.resume() : ex.invoke(h.function, {});
  h.invoked = true;
  sync_time();
  set_running(nullptr, kLevelIdle);
  running_handler_ = nullptr;
  if (first_slice) record_latency(h, start);
  const Cycles end = platform_.now();
  h.work += end - start;
  trace_.add({start, end, TraceKind::kHandlerSpan, c.id, h.spec.line,
              trace_.recording() ? h.spec.export_name : std::string()});
  if (!result) {
    h.invoked = false;
    ++h.stats.traps;
    record_work(h);
    fault(c, &h, h.spec.export_name + ": " + trap_text(result.error()));
    return;
  }
  if (*result == RunState::kReturned) {
    finish_handler(h);
    return;
  }
  const std::uint64_t used = ex.fuel_consumed() - h.fuel_start;
  if (h.spec.budget_fuel != 0 && used >= h.spec.budget_fuel) {
    ex.abandon();
    h.invoked = false;
    ++h.stats.overruns;
    record_work(h);
    trace_.add({end, 0, TraceKind::kHandlerOverrun, c.id, h.spec.line,
                "budget " + std::to_string(h.spec.budget_fuel) + " fuel"});
    fault(c, &h, h.spec.export_name + ": budget overrun");
    return;
  }
  if (ex.suspend_reason() == SuspendReason::kHost) {
    ex.abandon();
    h.invoked = false;
    ++h.stats.traps;
    record_work(h);
    fault(c, &h, h.spec.export_name + ": a handler may not block");
    return;
  }
  // Sliced or preempted: if a more urgent handler is ready, this one was preempted.
  Handler* next = pick_handler(end);
  if (next != nullptr && next != &h) {
    ++h.stats.preemptions;
    trace_.add({end, 0, TraceKind::kHandlerPreempted, c.id, h.spec.line,
                "by " + next->spec.export_name});
  }
}

void Scheduler::record_latency(Handler& h, Cycles start) {
  const Cycles latency = start - h.release_at;
  HandlerStats& s = h.stats;
  ++s.activations;
  s.latency_min = std::min(s.latency_min, latency);
  s.latency_max = std::max(s.latency_max, latency);
  s.latency_sum += latency;
}

void Scheduler::record_work(Handler& h) {
  HandlerStats& s = h.stats;
  s.wcet_max = std::max(s.wcet_max, h.work);
  s.work_min = std::min(s.work_min, h.work);
  s.work_sum += h.work;
  ++s.work_count;
}

void Scheduler::finish_handler(Handler& h) {
  h.state = Handler::State::kIdle;
  h.invoked = false;
  ++h.stats.completed;
  record_work(h);
  trace_.add({platform_.now(), 0, TraceKind::kHandlerEnd, h.owner->id, h.spec.line, ""});
  platform_.complete(h.spec.line);
  update_line(h);
}

void Scheduler::run_task(Container& c) {
  Execution& ex = *c.task_execution;
  const TaskSpec& t = *c.spec.task;
  if (virtual_time_ && last_ran_ != &ex) platform_.consume(costs_.dispatch);
  last_ran_ = &ex;
  if (c.task_state != TaskState::kReady) return;  // an interrupt during dispatch changed nothing
  const Cycles start = platform_.now();
  Cycles span = slice_end(start);
  span = span > start ? std::min(span - start, max_slice_cycles_) : 0;
  if (t.reservation_budget != 0) {
    const Cycles left = c.reservation_used < t.reservation_budget
                            ? t.reservation_budget - c.reservation_used
                            : 0;
    span = std::min(span, left);
  }
  const std::uint64_t fuel = fuel_for(span);
  ex.set_fuel(fuel);
  charged_fuel_ = ex.fuel_consumed();
  set_running(&ex, kLevelTask);
  if (e0_pending()) {  // an arrival or event since the pick: pick again first
    set_running(nullptr, kLevelIdle);
    return;
  }
  auto result = c.task_invoked ? ex.resume() : ex.invoke(c.task_function, {});
  c.task_invoked = true;
  sync_time();
  set_running(nullptr, kLevelIdle);
  timers_valid_ = false;  // waits, releases and reservations may have changed
  const Cycles end = platform_.now();
  ++c.task_stats.slices;
  c.task_stats.cpu += end - start;
  c.reservation_used += end - start;
  trace_.add({start, end, TraceKind::kTaskSpan, c.id, 0, t.export_name});
  if (!result) {
    c.task_invoked = false;
    c.task_state = TaskState::kFaulted;
    fault(c, nullptr, t.export_name + ": " + trap_text(result.error()));
    return;
  }
  if (*result == RunState::kReturned) {
    c.task_invoked = false;
    c.task_state = TaskState::kReturned;
    trace_.add({end, 0, TraceKind::kTaskSuspend, c.id, 0, "returned"});
    return;
  }
  const SuspendReason why = ex.suspend_reason();
  if (why == SuspendReason::kHost) {
    trace_.add({end, 0, TraceKind::kTaskSuspend, c.id, 0,
                c.task_state == TaskState::kWaitingPeriod ? "wait period" : "wait event"});
    return;
  }
  if (t.reservation_budget != 0 && c.reservation_used >= t.reservation_budget) {
    c.task_state = TaskState::kThrottled;
    ++c.task_stats.throttled;
    trace_.add({end, 0, TraceKind::kTaskSuspend, c.id, 0, "reservation exhausted"});
    return;
  }
  if (pick_handler(end) != nullptr) {
    ++c.task_stats.preemptions;
    trace_.add({end, 0, TraceKind::kTaskSuspend, c.id, 0, reason_text(why)});
  }
}

void Scheduler::fault(Container& c, Handler* h, std::string what) {
  timers_valid_ = false;
  c.last_fault = what;
  trace_.add({platform_.now(), 0, TraceKind::kContainerFault, c.id, h ? h->spec.line : 0, what});
  if (h != nullptr) {
    h->state = Handler::State::kFaulted;
    if (h->unmasked) platform_.mask(h->spec.line);
    h->unmasked = false;
    platform_.complete(h->spec.line);
  }
  switch (c.spec.fault_policy) {
    case FaultPolicy::kDisable:
      break;
    case FaultPolicy::kNotify:
      if (h != nullptr) IrqHost::post(c, kEventFault);
      break;
    case FaultPolicy::kRestart:
      restart(c);
      break;
  }
}

void Scheduler::restart(Container& c) {
  const bool was_started = c.started;
  const TaskStats keep = c.task_stats;
  teardown_instance(c);
  discard_pending(c);  // arrivals raised for the old instance
  event_slots_[c.event_slot].flags.store(0);
  c.started = false;
  c.event_flags = 0;
  ++c.restarts;
  std::string error;
  if (!instantiate(c, &error)) {
    c.last_fault = "restart failed: " + error;
    teardown_instance(c);
    if (c.spec.task) c.task_state = TaskState::kFaulted;
    trace_.add({platform_.now(), 0, TraceKind::kContainerFault, c.id, 0, c.last_fault});
    return;
  }
  c.task_stats = keep;
  trace_.add({platform_.now(), 0, TraceKind::kContainerLifecycle, c.id, 0, "restarted"});
  if (was_started) start(c.id);
}

void Scheduler::run_until(Cycles until) {
  timers_valid_ = false;  // the embedder may have changed anything since the last call
  woke_at_ = kNever;
  for (;;) {
    Cycles now;
    if (virtual_time_) {
      pay_e0_debt();
      now = platform_.now();  // the iteration's one clock read before dispatch
    } else {
      now = woke_at_ != kNever ? woke_at_ : platform_.now();  // nothing charged since the wait
      woke_at_ = kNever;
    }
    release_timers(now);
    WASMIO_SCHED_PROBE(kTimersDone);
    if (now >= until) break;
    if (Handler* h = pick_handler(now)) {
      WASMIO_SCHED_PROBE(kPicked);
      run_handler(*h);
      continue;
    }
    if (!deferred_.empty()) {
      last_ran_ = nullptr;
      Deferred d = std::move(deferred_.front());
      deferred_.erase(deferred_.begin());
      d.work();
      platform_.consume(d.cost);
      timers_valid_ = false;  // the work may have started, stopped or restarted containers
      continue;
    }
    if (Container* c = pick_task()) {
      run_task(*c);
      continue;
    }
    last_ran_ = nullptr;
    const Cycles wake = std::min(until, next_timer(now));
    if (e0_pending()) continue;  // an arrival since the pick: never sleep on it
    platform_.wait(wake);
    WASMIO_SCHED_PROBE(kWoken);
    const Cycles woke = platform_.now();
    idle_ += woke - now;
    if (!virtual_time_) woke_at_ = woke;
  }
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

const HandlerStats* Scheduler::handler_stats(ContainerId id, std::uint32_t line) const {
  const Container* c = get(id);
  const Handler* h = c != nullptr ? c->find_line(line) : nullptr;
  return h != nullptr ? &h->stats : nullptr;
}

const TaskStats* Scheduler::task_stats(ContainerId id) const {
  const Container* c = get(id);
  return c != nullptr && c->spec.task ? &c->task_stats : nullptr;
}

std::optional<ContainerInfo> Scheduler::info(ContainerId id) const {
  const Container* c = get(id);
  if (c == nullptr) return std::nullopt;
  return ContainerInfo{c->spec.name, c->task_state, c->restarts, c->last_fault, c->event_flags};
}

Instance* Scheduler::instance(ContainerId id) const {
  const Container* c = get(id);
  return c != nullptr ? c->instance : nullptr;
}

std::string Scheduler::summary() const {
  std::string out;
  char buf[256];
  const double per_us = static_cast<double>(platform_.cycles_per_second()) / 1e6;
  std::snprintf(buf, sizeof buf, "scheduler summary at %llu cycles (%.1f us), idle %llu cycles\n",
                static_cast<unsigned long long>(platform_.now()),
                static_cast<double>(platform_.now()) / per_us,
                static_cast<unsigned long long>(idle_));
  out += buf;
  for (const auto& cp : containers_) {
    if (!cp) continue;
    const Container& c = *cp;
    for (const auto& hp : c.handlers) {
      const HandlerStats& s = hp->stats;
      std::snprintf(buf, sizeof buf,
                    "handler %s/%s line %u prio %u: activations %llu latency min/mean/max "
                    "%llu/%llu/%llu cycles wcet %llu overruns %llu deferred %llu dropped %llu "
                    "preempted %llu traps %llu\n",
                    c.spec.name.c_str(), hp->spec.export_name.c_str(),
                    static_cast<unsigned>(hp->spec.line), static_cast<unsigned>(hp->spec.priority), static_cast<unsigned long long>(s.activations),
                    static_cast<unsigned long long>(s.activations ? s.latency_min : 0),
                    static_cast<unsigned long long>(s.latency_mean()),
                    static_cast<unsigned long long>(s.latency_max),
                    static_cast<unsigned long long>(s.wcet_max),
                    static_cast<unsigned long long>(s.overruns),
                    static_cast<unsigned long long>(s.deferred),
                    static_cast<unsigned long long>(s.dropped),
                    static_cast<unsigned long long>(s.preemptions),
                    static_cast<unsigned long long>(s.traps));
      out += buf;
    }
    if (c.spec.task) {
      const TaskStats& s = c.task_stats;
      std::snprintf(buf, sizeof buf,
                    "task %s/%s prio %u: %s, cpu %llu cycles, slices %llu, jobs %llu, deadlines "
                    "met %llu missed %llu, throttled %llu\n",
                    c.spec.name.c_str(), c.spec.task->export_name.c_str(),
                    c.spec.task->priority, task_state_name(c.task_state),
                    static_cast<unsigned long long>(s.cpu),
                    static_cast<unsigned long long>(s.slices),
                    static_cast<unsigned long long>(s.jobs),
                    static_cast<unsigned long long>(s.deadlines_met),
                    static_cast<unsigned long long>(s.deadlines_missed),
                    static_cast<unsigned long long>(s.throttled));
      out += buf;
    }
    if (!c.last_fault.empty()) out += "container " + c.spec.name + " fault: " + c.last_fault + "\n";
  }
  return out;
}

}  // namespace wasmio::sched
