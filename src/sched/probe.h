// Measurement probes on the interrupt path (E0 -> first handler instruction). Compiled out
// unless the build defines WASMIO_SCHED_PROBE_COUNTER as the address of a free-running 32-bit
// counter (the firmware's FPGAIO counter: cmake -DWASMIO_SCHED_PROBE_COUNTER=0x40028018); then
// each probe is one load and one store, and the scheduler prints the stamps of the activations
// it saw when it is destroyed (docs/irq-latency.md, "Where the instructions go").
#pragma once

#include <cstdint>

#ifdef WASMIO_SCHED_PROBE_COUNTER
namespace wasmio::sched::probe {
enum Point : unsigned {
  kE0Entry,     // on_interrupt entered
  kE0Exit,      // on_interrupt returns
  kWoken,       // the loop is back from Platform::wait
  kTimersDone,  // E0 debt paid, E0 drained, timers released
  kPicked,      // pick_handler chose the handler
  kInvoke,      // run_handler calls invoke/resume
  kPoints,
};
inline constexpr unsigned kActivations = 16;
inline std::uint32_t stamps[kPoints];
inline std::uint32_t recorded[kActivations][kPoints];
inline unsigned activations = 0;
inline void mark(Point p) {
  stamps[p] = *reinterpret_cast<volatile std::uint32_t*>(WASMIO_SCHED_PROBE_COUNTER);
}
// The first-instruction point of an activation: keeps its stamps.
inline void keep() {
  if (activations < kActivations) {
    for (unsigned i = 0; i < kPoints; ++i) recorded[activations][i] = stamps[i];
  }
  ++activations;
}
}  // namespace wasmio::sched::probe
#define WASMIO_SCHED_PROBE(p) ::wasmio::sched::probe::mark(::wasmio::sched::probe::p)
#define WASMIO_SCHED_PROBE_KEEP() ::wasmio::sched::probe::keep()
#else
#define WASMIO_SCHED_PROBE(p) ((void)0)
#define WASMIO_SCHED_PROBE_KEEP() ((void)0)
#endif
