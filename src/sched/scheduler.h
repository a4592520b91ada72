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

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cost_model.h"
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

struct ContainerSpec {
  std::string name;
  std::shared_ptr<const Module> module;  // lowered; shared so a restart can re-instantiate
  std::vector<HandlerSpec> handlers;
  std::optional<TaskSpec> task;
  FaultPolicy fault_policy = FaultPolicy::kDisable;
  ImportProvider imports;  // may be empty
  // Called after every instantiation (install and restart), e.g. to map register windows.
  std::function<void(Instance& instance)> on_instance;
  InstanceLimits limits;
  ExecutionConfig execution;  // fuel_policy is always kSuspend (the scheduler slices with fuel)
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
  Cycles wcet_max = 0;  // cycles of handler work in one activation (own execution only)
  Cycles latency_mean() const { return activations ? latency_sum / activations : 0; }
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

class Scheduler final : private InterruptSink {
 public:
  Scheduler(Platform& platform, CostModel costs = {});
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
  std::uint64_t spurious_interrupts() const { return spurious_; }
  Cycles idle_cycles() const { return idle_; }

  // Per handler and per task, as `wasmio run --trace` prints it at the end.
  std::string summary() const;

  struct Container;   // internal
  struct Handler;     // internal
 private:
  void on_interrupt(std::uint32_t line) override;

  Container* get(ContainerId id) const;
  bool instantiate(Container& c, std::string* error);
  void teardown_instance(Container& c);
  void mask_all(Container& c);
  void fault(Container& c, Handler* h, std::string what);
  void restart(Container& c);
  void update_line(Handler& h);
  Handler* pick_handler();
  Container* pick_task();
  Cycles next_timer() const;
  void release_timers();
  Cycles slice_end(Cycles limit) const;
  void run_handler(Handler& h);
  void run_task(Container& c);
  void pay_e0_debt();
  void finish_handler(Handler& h);

  friend struct IrqHost;        // the wasmio_irq host functions
  friend struct IrqHostAccess;

  Platform& platform_;
  CostModel costs_;
  Trace trace_;
  std::vector<std::unique_ptr<Container>> containers_;  // index = id; null once removed
  struct Native {
    std::uint32_t line;
    NativeHandler handler;
  };
  std::vector<Native> natives_;
  struct Deferred {
    std::function<void()> work;
    Cycles cost;
  };
  std::vector<Deferred> deferred_;
  Handler* running_handler_ = nullptr;  // the handler whose slice is running now
  Execution* running_ = nullptr;        // any execution running now (for E0 preemption)
  const Execution* last_ran_ = nullptr;  // the execution of the last slice (context switches)
  std::uint64_t charged_fuel_ = 0;       // running_'s fuel already charged to platform time
  std::uint8_t running_priority_ = 255;
  bool running_is_task_ = false;
  Cycles e0_debt_ = 0;  // E0 work done while a slice ran, charged after it
  std::uint64_t spurious_ = 0;
  Cycles idle_ = 0;
};

const char* task_state_name(TaskState state);

}  // namespace wasmio::sched
