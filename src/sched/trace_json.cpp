// Chrome/Perfetto trace JSON of a Trace (host only: the MCU keeps the record, a host formats it).
#include <cstdio>
#include <string>

#include "trace.h"

namespace wasmio::sched {

namespace {

constexpr std::uint32_t kNative = UINT32_MAX;
constexpr std::uint32_t kTaskTid = 1;
constexpr std::uint32_t kHandlerTidBase = 100;

void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

void append_number(std::string& out, double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  out += buf;
}

std::uint32_t pid_of(std::uint32_t container) { return container == kNative ? 0 : container + 1; }

std::uint32_t tid_of(const TraceEvent& e) {
  switch (e.kind) {
    case TraceKind::kTaskSpan:
    case TraceKind::kTaskSuspend:
    case TraceKind::kDeadlineMiss:
    case TraceKind::kContainerFault:
    case TraceKind::kContainerLifecycle:
      return kTaskTid;
    case TraceKind::kIrqRaised:
      return 0;
    default:
      return kHandlerTidBase + e.line;
  }
}

}  // namespace

std::string Trace::chrome_json(double cycles_per_us) const {
  std::string out = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
  bool first = true;
  auto begin = [&]() {
    if (!first) out += ",\n";
    first = false;
  };
  auto meta = [&](const char* what, std::uint32_t pid, std::uint32_t tid, std::string_view name) {
    begin();
    out += "{\"ph\":\"M\",\"name\":\"";
    out += what;
    out += "\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
           ",\"args\":{\"name\":\"";
    append_escaped(out, name);
    out += "\"}}";
  };
  meta("process_name", 0, 0, "native (E0, E1/2)");
  meta("thread_name", 0, 0, "E0 interrupt entry");
  for (const Name& n : names_) {
    if (n.line == kNative) {
      meta("process_name", pid_of(n.id), 0, n.name);
      meta("thread_name", pid_of(n.id), kTaskTid, "E1 task");
    } else {
      meta("thread_name", pid_of(n.id), kHandlerTidBase + n.line,
           "E1/4 irq " + std::to_string(n.line) + " " + n.name);
    }
  }
  for (const TraceEvent& e : events_) {
    begin();
    const bool span = e.kind == TraceKind::kHandlerSpan || e.kind == TraceKind::kTaskSpan;
    out += "{\"name\":\"";
    if (span && !e.detail.empty()) {
      append_escaped(out, e.detail);
    } else {
      out += trace_kind_name(e.kind);
    }
    out += "\",\"cat\":\"";
    out += span ? (e.kind == TraceKind::kTaskSpan ? "E1" : "E1/4") : "event";
    out += "\",\"ph\":\"";
    out += span ? "X" : "i";
    out += "\",\"ts\":";
    append_number(out, static_cast<double>(e.start) / cycles_per_us);
    if (span) {
      out += ",\"dur\":";
      append_number(out, static_cast<double>(e.end - e.start) / cycles_per_us);
    } else {
      out += ",\"s\":\"t\"";
    }
    out += ",\"pid\":" + std::to_string(pid_of(e.container)) +
           ",\"tid\":" + std::to_string(tid_of(e)) + ",\"args\":{\"cycles\":" +
           std::to_string(e.start);
    if (span) out += ",\"end_cycles\":" + std::to_string(e.end);
    if (e.kind != TraceKind::kTaskSpan && e.kind != TraceKind::kTaskSuspend) {
      out += ",\"line\":" + std::to_string(e.line);
    }
    if (!e.detail.empty()) {
      out += ",\"detail\":\"";
      append_escaped(out, e.detail);
      out += '"';
    }
    out += "}}";
  }
  out += "\n]}\n";
  return out;
}

}  // namespace wasmio::sched
