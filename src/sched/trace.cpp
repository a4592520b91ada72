// The trace record (core: no formatting, builds for the MCU); JSON output is trace_json.cpp.
#include "trace.h"

namespace wasmio::sched {

namespace {
constexpr std::uint32_t kNative = UINT32_MAX;  // Name::line of a container's own name
}  // namespace

const char* trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::kIrqRaised: return "irq raised";
    case TraceKind::kHandlerSpan: return "handler";
    case TraceKind::kHandlerPreempted: return "handler preempted";
    case TraceKind::kHandlerEnd: return "handler end";
    case TraceKind::kHandlerOverrun: return "handler overrun";
    case TraceKind::kArrivalDeferred: return "arrival deferred";
    case TraceKind::kArrivalDropped: return "arrival dropped";
    case TraceKind::kTaskSpan: return "task";
    case TraceKind::kTaskSuspend: return "task suspend";
    case TraceKind::kDeadlineMiss: return "deadline miss";
    case TraceKind::kContainerFault: return "container fault";
    case TraceKind::kContainerLifecycle: return "container";
  }
  return "?";
}

void Trace::name_container(std::uint32_t id, std::string name) {
  names_.push_back(Name{id, kNative, std::move(name)});
}

void Trace::name_handler(std::uint32_t id, std::uint32_t line, std::string name) {
  names_.push_back(Name{id, line, std::move(name)});
}

void Trace::add(TraceEvent event) {
  if (events_.size() >= max_events_) {
    ++lost_;
    return;
  }
  events_.push_back(std::move(event));
}

std::size_t Trace::count(TraceKind kind) const {
  std::size_t n = 0;
  for (const TraceEvent& e : events_) n += e.kind == kind ? 1 : 0;
  return n;
}

}  // namespace wasmio::sched
