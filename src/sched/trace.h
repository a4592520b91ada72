// A record of what the scheduler did, in virtual (or real) cycles, written as Chrome/Perfetto
// trace JSON (the "Trace Event Format": opens in ui.perfetto.dev and chrome://tracing).
//
// Processes are containers (pid = container id + 1; pid 0 is the native side, E0/E½), threads
// are levels: tid 1 the container's task (E1), tid 100 + line its handler for that line (E¼),
// tid 0 native interrupt entry (E0). Running spans are complete ("X") events; IRQ raised,
// preempted, overrun, deferred/dropped arrivals, task suspend and deadline misses are instants.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform.h"

namespace wasmio::sched {

enum class TraceKind : std::uint8_t {
  kIrqRaised,          // E0 took the line (detail: handler export)
  kHandlerSpan,        // a handler ran from start to end (one slice)
  kHandlerPreempted,   // a higher-priority handler took the CPU at a safe point
  kHandlerEnd,         // returned
  kHandlerOverrun,     // budget exhausted: stopped, line masked
  kArrivalDeferred,    // arrived before its minimum inter-arrival: runs later
  kArrivalDropped,     // arrived before its minimum inter-arrival: discarded
  kTaskSpan,           // the task ran (one slice)
  kTaskSuspend,        // detail: why (event wait, period wait, preempted)
  kDeadlineMiss,
  kContainerFault,     // detail: the trap or fault
  kContainerLifecycle, // detail: installed / started / stopped / removed / restarted
};

struct TraceEvent {
  Cycles start = 0;
  Cycles end = 0;  // spans only
  TraceKind kind = TraceKind::kIrqRaised;
  std::uint32_t container = 0;  // pid - 1; UINT32_MAX: native
  std::uint32_t line = 0;       // handlers and IRQs
  std::string detail;
};

class Trace {
 public:
  explicit Trace(std::size_t max_events = 1u << 20) : max_events_(max_events) {}

  void name_container(std::uint32_t id, std::string name);
  void name_handler(std::uint32_t id, std::uint32_t line, std::string name);
  void add(TraceEvent event);
  // False when the next add() is counted as lost: callers skip building its detail text.
  bool recording() const { return events_.size() < max_events_; }
  bool enabled() const { return max_events_ != 0; }  // Trace(0) records nothing at all
  void count_lost() { ++lost_; }

  const std::vector<TraceEvent>& events() const { return events_; }
  std::size_t lost() const { return lost_; }
  std::size_t count(TraceKind kind) const;

  // The whole trace as Chrome trace JSON; `cycles_per_us` converts timestamps.
  std::string chrome_json(double cycles_per_us) const;

 private:
  struct Name {
    std::uint32_t id;
    std::uint32_t line;  // UINT32_MAX: the container itself
    std::string name;
  };
  std::size_t max_events_;
  std::size_t lost_ = 0;
  std::vector<TraceEvent> events_;
  std::vector<Name> names_;
};

const char* trace_kind_name(TraceKind kind);

}  // namespace wasmio::sched
