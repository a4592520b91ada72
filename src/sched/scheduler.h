// The core scheduler: one thread drives every container by running, preempting and resuming
// their Executions at safe points, under the extended priority model (docs/design/0010):
//
//   E0   native interrupt entry: acknowledge + mask the line, mark the owner's handler pending
//   E1/4 Wasm handlers, most urgent priority first; preempted only by E0 and by more urgent
//        handlers; a budget (fuel) per activation and a minimum inter-arrival time per line
//   E1/2 native deferred work (posted by native code), in FIFO order
//   E1   tasks: each container's main export and native tasks, fixed priorities, optional
//        reservation (budget per period), optional period/deadline
//
// Everything platform-specific is behind Platform; in the simulation time is virtual and
// advances with fuel consumed (CostModel), so a scenario replays bit for bit.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cost_model.h"
#include "isr_event_ring.h"
#include "platform.h"
#include "trace.h"
#include "wasmio/engine.h"

namespace wasmio::sched {

// What happens to a container when a handler overruns its budget or any of its code traps.
enum class FaultPolicy : std::uint8_t {
  kDisable,  // the faulting handler's line stays masked (a trapping task stays stopped)
  kNotify,   // like kDisable, and the task gets kEventFault; it may re-enable the line
  kRestart,  // the container is re-instantiated from its module and its task started again
};

// What happens to an arrival earlier than the handler's minimum inter-arrival time.
enum class ArrivalPolicy : std::uint8_t {
  kDefer,  // the activation is released at last release + minimum inter-arrival
  kDrop,   // the arrival is acknowledged and counted, the handler does not run
};

// Event flag the scheduler posts to a container's task when one of its handlers faulted.
inline constexpr std::uint32_t kEventFault = 0x80000000u;

struct HandlerSpec {
  std::uint32_t line = 0;         // interrupt line on the platform
  std::string export_name;        // () -> () export run per activation
  std::uint8_t priority = 0;      // 0 = most urgent (NVIC order)
  std::uint64_t budget_fuel = 0;  // per activation; 0 = unlimited (trusted code only)
  Cycles min_interarrival = 0;    // 0 = unchecked
  ArrivalPolicy arrival = ArrivalPolicy::kDefer;
  bool enabled_at_start = false;  // else the guest enables its line (wasmio_irq_enable)
};

struct TaskSpec {
  std::string export_name;     // () -> () export: the container's main code
  std::uint8_t priority = 128;  // 0 = most urgent
  Cycles period = 0;            // > 0: the task calls wasmio_task_wait_period once per job
  Cycles deadline = 0;          // relative to each release; 0 = the period
  Cycles reservation_budget = 0;  // > 0: at most this much CPU per reservation_period
  Cycles reservation_period = 0;  // 0 = the period
};

// Imports other than module "wasmio_irq" (e.g. register access, module "wasmio"): called on
// every instantiation (install and restart) to fill `externs` for the imports it knows; entries
// left null must be wasmio_irq imports. Returns false with `*error` to refuse.
using ImportProvider = std::function<bool(Store& store, const Module& module,
                                          std::vector<Extern>& externs, std::string* error)>;

// Called after every instantiation (install and restart), e.g. to map register windows. It may
// refuse the instance (false, with *error saying why): install then fails, a restart fails and
// faults the container, and nothing of that instance stays. A hook written as
// `void(Instance&)` cannot refuse and is accepted as one that always accepts.
class InstanceHook {
 public:
  InstanceHook() = default;
  template <typename F>
    requires std::is_invocable_r_v<bool, F&, Instance&, std::string*>
  InstanceHook(F hook) : hook_(std::move(hook)) {}
  template <typename F>
    requires(!std::is_invocable_v<F&, Instance&, std::string*> &&
             std::is_invocable_v<F&, Instance&>)
  InstanceHook(F hook)
      : hook_([hook = std::move(hook)](Instance& instance, std::string*) mutable {
          hook(instance);
          return true;
        }) {}

  explicit operator bool() const { return static_cast<bool>(hook_); }
  bool operator()(Instance& instance, std::string* error) const { return hook_(instance, error); }

 private:
  std::function<bool(Instance&, std::string*)> hook_;
};

// The execution stacks of a scheduled container, one per handler and one for its task. The
// engine's defaults (65 536 value slots = 512 KiB and 8 192 frames per execution) suit an
// arbitrary program; driver code runs short handlers and a task loop, so a container gets 4 096
// slots (32 KiB) and 256 frames unless its spec says otherwise. A deeper guest traps with
// "call stack exhausted" at its own limit (a fault of that container only).
inline constexpr std::uint32_t kContainerStackSlots = 4096;
inline constexpr std::uint32_t kContainerMaxFrames = 256;
inline ExecutionConfig container_execution_defaults() {
  ExecutionConfig config;
  config.stack_slots = kContainerStackSlots;
  config.max_frames = kContainerMaxFrames;
  return config;
}

struct ContainerSpec {
  std::string name;
  std::shared_ptr<const Module> module;  // lowered; shared so a restart can re-instantiate
  std::vector<HandlerSpec> handlers;
  std::optional<TaskSpec> task;
  FaultPolicy fault_policy = FaultPolicy::kDisable;
  ImportProvider imports;  // may be empty
  InstanceHook on_instance;  // may refuse an instance (see InstanceHook)
  InstanceLimits limits;
  // fuel_policy is always kSuspend (the scheduler slices with fuel).
  ExecutionConfig execution = container_execution_defaults();
};

using ContainerId = std::uint32_t;

struct HandlerStats {
  std::uint64_t activations = 0;  // handler runs started
  std::uint64_t completed = 0;
  std::uint64_t preemptions = 0;
  std::uint64_t overruns = 0;
  std::uint64_t deferred = 0;
  std::uint64_t dropped = 0;
  std::uint64_t traps = 0;
  Cycles latency_min = kNever;  // raise -> first handler instruction
  Cycles latency_max = 0;
  Cycles latency_sum = 0;
  // Cycles of handler work per ended activation (own slices only, not preemptions): returned,
  // overrun or trapped.
  Cycles wcet_max = 0;
  Cycles work_min = kNever;
  Cycles work_sum = 0;
  std::uint64_t work_count = 0;
  Cycles latency_mean() const { return activations ? latency_sum / activations : 0; }
  Cycles work_mean() const { return work_count ? work_sum / work_count : 0; }
};

struct TaskStats {
  std::uint64_t slices = 0;
  std::uint64_t preemptions = 0;
  std::uint64_t jobs = 0;  // completed periodic jobs
  std::uint64_t deadlines_met = 0;
  std::uint64_t deadlines_missed = 0;
  std::uint64_t throttled = 0;  // times the reservation ran out
  Cycles cpu = 0;
};

enum class TaskState : std::uint8_t {
  kNone,           // no task, or not started
  kReady,          // runnable (maybe preempted)
  kWaitingEvent,   // blocked in wasmio_event_wait
  kWaitingPeriod,  // blocked in wasmio_task_wait_period until its next release
  kThrottled,      // reservation exhausted until replenishment
  kReturned,
  kFaulted,
  kStopped,
};

struct ContainerInfo {
  std::string name;
  TaskState task_state = TaskState::kNone;
  std::uint64_t restarts = 0;
  std::string last_fault;  // empty when none
  std::uint32_t event_flags = 0;
};

// A native interrupt handler (runs at E0, no Wasm): the baseline for latency measurements and
// the place for host-owned devices.
struct NativeHandler {
  void (*function)(void* context, std::uint32_t line, Cycles entered) = nullptr;
  void* context = nullptr;
  Cycles cost = 0;  // cycles its body takes (charged to virtual time)
};

// Sizes fixed at construction: E0 and post_event never allocate, so their tables exist up front.
struct SchedulerLimits {
  std::uint32_t event_slots = 64;       // containers installed at once (post_event targets)
  std::uint32_t isr_trace_events = 256;  // E0 trace events between two loop iterations
};

class Scheduler final : private InterruptSink {
 public:
  Scheduler(Platform& platform, CostModel costs = {}, SchedulerLimits limits = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Container lifecycle; none of them disturbs other containers. install instantiates and
  // claims the lines (a line has one owner); start releases the task and lets the guest enable
  // its lines; stop abandons its executions and masks its lines; remove frees everything.
  // Errors: *error says why and nothing is left behind.
  std::optional<ContainerId> install(ContainerSpec spec, std::string* error);
  bool start(ContainerId id);
  bool stop(ContainerId id);
  bool remove(ContainerId id);

  // A native E0 handler for a line no container owns.
  bool attach_native(std::uint32_t line, std::uint8_t priority, NativeHandler handler);
  // E1/2: native deferred work, run before any task, after every pending Wasm handler.
  void post_deferred(std::function<void()> work, Cycles cost);

  // ISR-safe (interrupt handlers, signal handlers, other threads; no allocation, no lock): ORs
  // `flags` into the container's task event flags; the loop wakes a task waiting for any of
  // them at its next iteration, and a running task is asked to stop at its next safe point so
  // the loop re-picks. False when no installed container has this id.
  bool post_event(ContainerId id, std::uint32_t flags) noexcept;

  // Runs until platform time reaches `until` (E0 still happens while idle).
  void run_until(Cycles until);
  void run_for(Cycles span) { run_until(platform_.now() + span); }

  // Charges the running execution's instructions up to now to platform time. Host functions
  // that touch devices or read time call it first, so a device sees the guest's accesses at
  // the virtual time the instructions before them took (not at the slice's start).
  void sync_time();

  Platform& platform() { return platform_; }
  const CostModel& costs() const { return costs_; }
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }

  const HandlerStats* handler_stats(ContainerId id, std::uint32_t line) const;
  const TaskStats* task_stats(ContainerId id) const;
  std::optional<ContainerInfo> info(ContainerId id) const;
  Instance* instance(ContainerId id) const;  // null when removed
  std::uint64_t spurious_interrupts() const { return spurious_.load(std::memory_order_relaxed); }
  // E0 trace events lost because the ring was full between two loop iterations.
  std::uint64_t isr_trace_lost() const { return isr_ring_.lost(); }
  Cycles idle_cycles() const { return idle_; }

  // Per handler and per task, as `wasmio run --trace` prints it at the end.
  std::string summary() const;

  struct Container;   // internal
  struct Handler;     // internal
  struct LineSlot;    // internal: what E0 may read about a line
  struct EventSlot;   // internal: post_event's flags of one container
 private:
  // E0. Runs in interrupt context: atomics only, no allocation, no container structures.
  void on_interrupt(std::uint32_t line) override;
  // The loop's side of E0: turns pending lines, posted events and E0 trace records into
  // scheduler state. Called at every loop iteration and before every pick.
  void drain_e0();
  void accept_arrival(std::uint32_t line);
  void discard_pending(Container& c);  // completes lines E0 took but the loop has not drained
  bool e0_pending() const;
  // Publishes the execution E0 may preempt (null: none); the clear waits out an E0 running
  // concurrently on another thread, so the execution can be destroyed afterwards.
  void set_running(Execution* ex, std::uint16_t level);

  Container* get(ContainerId id) const;
  bool instantiate(Container& c, std::string* error);
  void teardown_instance(Container& c);
  void mask_all(Container& c);
  void fault(Container& c, Handler* h, std::string what);
  void restart(Container& c);
  void update_line(Handler& h);
  // `now`: the loop iteration's clock reading (pick and timers need no clock read of their own).
  Handler* pick_handler(Cycles now);
  Container* pick_task();
  // Timers (periods, deadlines, reservations, deferred releases, drop-policy unmasks): the
  // earliest is cached by the last scan, so an iteration with nothing due scans nothing; any
  // change the cache does not track (task slices, deferred work, lifecycle, faults) clears it.
  Cycles next_timer(Cycles now) const;
  Cycles scan_timers(Cycles now) const;
  void release_timers(Cycles now);
  void note_timer(Cycles at);  // a timer was armed at `at`
  Cycles slice_end(Cycles now) const;
  std::uint64_t slice_fuel(Cycles now) const;  // fuel of a slice starting now, no 64-bit division
  std::uint64_t fuel_for(Cycles span) const;    // whole fuel units in span (at least one)
  void run_handler(Handler& h);
  void run_task(Container& c);
  void pay_e0_debt();
  void finish_handler(Handler& h);
  void record_work(Handler& h);  // an activation ended: its work into the WCET statistics
  void record_latency(Handler& h, Cycles start);  // an activation's first instruction ran at start

  friend struct IrqHost;        // the wasmio_irq host functions
  friend struct IrqHostAccess;

  Platform& platform_;
  CostModel costs_;
  Cycles max_slice_cycles_;  // the longest slice (kMaxSliceFuel) in cycles
  int fuel_shift_;           // log2(cycles_per_fuel) when a power of two, else -1
  Trace trace_;
  std::vector<std::unique_ptr<Container>> containers_;  // index = id; null once removed
  // Shared with E0 (sized at construction).
  std::uint32_t line_count_;
  std::unique_ptr<LineSlot[]> lines_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> pending_;  // one bit per line
  std::uint32_t event_slot_count_;
  std::unique_ptr<EventSlot[]> event_slots_;
  std::atomic<std::uint32_t> events_posted_{0};
  IsrEventRing isr_ring_;
  std::atomic<Execution*> running_{nullptr};  // the execution E0 may preempt
  std::atomic<std::uint16_t> running_level_{kLevelIdle};
  std::atomic<std::uint32_t> e0_active_{0};  // E0 entries in progress (other threads)
  std::atomic<std::uint32_t> e0_debt_{0};    // E0 work done while a slice ran, charged after it
  std::atomic<std::uint32_t> spurious_{0};
  // E0 pushes trace records only while the trace is enabled (the loop refreshes this).
  std::atomic<bool> isr_trace_{true};
  const bool virtual_time_;  // Platform::virtual_time(): charge E0 and dispatch to the clock
  static constexpr std::uint16_t kLevelTask = 256;   // below every handler priority
  static constexpr std::uint16_t kLevelIdle = 512;
  struct Deferred {
    std::function<void()> work;
    Cycles cost;
  };
  std::vector<Deferred> deferred_;
  Handler* running_handler_ = nullptr;  // the handler whose slice is running now
  const Execution* last_ran_ = nullptr;  // the execution of the last slice (context switches)
  std::uint64_t charged_fuel_ = 0;       // running_'s fuel already charged to platform time
  Cycles next_timer_ = kNever;           // the earliest timer after the last scan
  bool timers_valid_ = false;            // next_timer_ is up to date
  Cycles idle_ = 0;
  Cycles woke_at_ = kNever;  // clock reading after the last wait (real time: the next `now`)
};

const char* task_state_name(TaskState state);

}  // namespace wasmio::sched
