// Internal state of the scheduler's containers and handlers (shared by scheduler.cpp and the
// wasmio_irq host functions in irq_host.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scheduler.h"

namespace wasmio::sched {

struct Scheduler::Handler {
  enum class State : std::uint8_t {
    kIdle,     // waiting for its line
    kPending,  // E0 marked it; runs from release_at on
    kRunning,  // started; may be preempted (suspended at a safe point)
    kFaulted,  // overran or trapped: line masked until the guest re-enables it or a restart
  };
  Container* owner = nullptr;
  HandlerSpec spec;
  FunctionInstance* function = nullptr;
  std::unique_ptr<Execution> execution;
  State state = State::kIdle;
  bool invoked = false;        // the execution holds a started call
  bool guest_enabled = false;  // wasmio_irq_enable / disable
  bool unmasked = false;       // what we last told the platform
  Cycles raised_at = 0;
  Cycles release_at = 0;       // earliest start (deferred arrivals)
  Cycles last_release = 0;
  bool have_last = false;
  Cycles unmask_at = 0;        // drop policy: the line stays masked until then
  std::uint64_t fuel_start = 0;
  Cycles work = 0;             // cycles of this activation so far
  HandlerStats stats;
};

struct Scheduler::Container {
  ContainerId id = 0;
  Scheduler* scheduler = nullptr;
  ContainerSpec spec;
  std::unique_ptr<Store> store;
  Instance* instance = nullptr;
  std::vector<std::unique_ptr<Handler>> handlers;
  bool started = false;
  std::uint64_t restarts = 0;
  std::string last_fault;

  // Task (E1).
  std::unique_ptr<Execution> task_execution;
  FunctionInstance* task_function = nullptr;
  TaskState task_state = TaskState::kNone;
  bool task_invoked = false;
  std::uint32_t event_flags = 0;
  std::uint32_t wait_mask = 0;
  Cycles release = 0;       // current job's release
  Cycles next_release = 0;  // periodic tasks
  bool period_wait_armed = false;
  bool job_miss_counted = false;  // the current job's miss was counted at its deadline
  Cycles miss_check_at = 0;       // next deadline to check while the job runs
  Cycles reservation_used = 0;
  Cycles reservation_window = 0;  // start of the current reservation period
  TaskStats task_stats;
  std::uint32_t event_slot = 0;  // index into Scheduler::event_slots_

  Handler* find_line(std::uint32_t line) const {
    for (const auto& h : handlers) {
      if (h->spec.line == line) return h.get();
    }
    return nullptr;
  }
  Cycles deadline() const {
    return spec.task->deadline != 0 ? spec.task->deadline : spec.task->period;
  }
  Cycles reservation_period() const {
    return spec.task->reservation_period != 0 ? spec.task->reservation_period : spec.task->period;
  }
};

// One interrupt line as E0 sees it. The loop writes the fields and then publishes `kind` with
// release order; E0 reads `kind` with acquire order and only then the rest. `raised_at` is the
// only field E0 writes: before setting the line's pending bit (release), while the line is
// masked until the loop has drained that bit, so the loop reads it alone.
struct Scheduler::LineSlot {
  enum Kind : std::uint8_t { kFree, kNative, kWasm };
  std::atomic<std::uint8_t> kind{kFree};
  std::atomic<std::uint8_t> priority{255};
  std::atomic<std::uint32_t> container{0};
  NativeHandler native;
  Cycles raised_at = 0;
  Handler* handler = nullptr;  // loop only
};

// post_event's target: `id_plus_one` names the container (0: free slot), `flags` accumulates.
struct Scheduler::EventSlot {
  std::atomic<std::uint32_t> id_plus_one{0};
  std::atomic<std::uint32_t> flags{0};
};

// The wasmio_irq host functions (irq_host.cpp).
struct IrqHost {
  // The host function for import `name` of module "wasmio_irq", or null when there is none.
  static FunctionInstance* make(Scheduler::Container& c, Store& store, std::string_view name,
                                const FuncType& expected);
  static void post(Scheduler::Container& c, std::uint32_t bits);
};

inline constexpr std::string_view kIrqImportModule = "wasmio_irq";

}  // namespace wasmio::sched
