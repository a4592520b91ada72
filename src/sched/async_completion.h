// Async I/O completion at a container's interrupt level (docs/design/0012-async-io.md §8): when
// the driver exports the completion handler (io::async::kCompletionHandler, the SDK's
// WASMIO_ASYNC_HANDLER), the container gets a handler on its client's completion line — a spare
// controller line the service pends by software when a transfer that asked for it ends (at E0,
// from the DMA or device interrupt) — with the priority, budget and inter-arrival rules of any
// device interrupt handler, so an overrun goes to the container's fault policy.
#pragma once

#include <string>

#include "io/async/async_io.h"
#include "scheduler.h"

namespace wasmio::sched {

// The deployment's parameters of the completion handler (the manifest format is unchanged).
struct AsyncCompletionIrq {
  std::uint8_t priority = 8;
  std::uint64_t budget_fuel = 20'000;
  Cycles min_interarrival = 0;
  ArrivalPolicy arrival = ArrivalPolicy::kDefer;
};

// Adds the handler to `spec` if its module exports the completion handler as () -> (); a module
// without it keeps task-level completion only. False with `*error` when no spare line is left.
inline bool add_async_completion(ContainerSpec& spec, io::async::AsyncClient& client,
                                 const AsyncCompletionIrq& irq, std::string* error) {
  if (spec.module == nullptr) return true;
  bool exported = false;
  for (std::uint32_t i = 0; i < spec.module->export_count(); ++i) {
    const ExportInfo e = spec.module->export_(i);
    exported =
        exported || (e.name == io::async::kCompletionHandler && e.kind == ExternKind::kFunction);
  }
  if (!exported) return true;
  const std::uint32_t line = client.enable_completion_irq();
  if (line == UINT32_MAX) {
    *error = spec.name + ": no spare interrupt line left for its async completion handler";
    return false;
  }
  HandlerSpec h;
  h.line = line;
  h.export_name = std::string(io::async::kCompletionHandler);
  h.priority = irq.priority;
  h.budget_fuel = irq.budget_fuel;
  h.min_interarrival = irq.min_interarrival;
  h.arrival = irq.arrival;
  h.enabled_at_start = false;  // as every line: the task enables it (wasmio_async_irq_enable)
  spec.handlers.push_back(std::move(h));
  return true;
}

}  // namespace wasmio::sched
