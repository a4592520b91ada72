// Interrupt latency and interference on the simulated AN385 board, in virtual cycles.
//
//   irq-latency wasm=N native=M ratio=R   mean cycles from the device raising the IRQ to the
//                                         first instruction of its handler, under an E1 Wasm
//                                         background task (Wasm handler at E1/4 vs native C
//                                         handler at E0)
//   interference misses=N                 deadline misses of a periodic task while a handler
//                                         that never returns is raised every ~200 us (budget
//                                         500 fuel, minimum inter-arrival 500 us, notify
//                                         policy: its task re-arms the line after each overrun)
// plus the same figures without the misbehaving handler, and without budget enforcement, and
//   irq-wcet level=L handler=NAME min=N mean=N max=N
// the work of one activation in virtual cycles (its own slices, not time preempted), per
// handler: the latency scenario's Wasm handler, the misbehaving one (capped by its budget), and
// the native C handler (its body cost is the model's figure: the simulation cannot run C).
#include <algorithm>
#include <cstdio>
#include <optional>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "io/sim/sim_board.h"
#include "sched/scheduler.h"
#include "sched/sim_platform.h"

namespace {

using namespace wasmio;
using namespace wasmio::sched;

constexpr std::uint64_t kClockHz = 25'000'000;
constexpr Cycles kUs = kClockHz / 1'000'000;
constexpr std::uint32_t kLine = 8;  // CMSDK timer 0 on AN385

std::shared_ptr<const Module> load_guest(const char* name) {
  const std::string path = std::string(WASMIO_IRQ_GUEST_DIR) + "/" + name + ".wasm";
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto m = Module::load(bytes);
  if (!m) {
    std::fprintf(stderr, "irq-bench: cannot load %s: %s\n", path.c_str(), m.error().message());
    std::exit(1);
  }
  return std::shared_ptr<const Module>(std::move(*m));
}

// A device whose interrupt output pulses at irregular, reproducible times (a linear
// congruential sequence of gaps), recording when it raised each one.
class Device {
 public:
  Device(io::sim::SimBoard& board, std::uint32_t line, Cycles first, Cycles mean_gap, Cycles until)
      : board_(board), mean_gap_(mean_gap), until_(until) {
    irq_.connect(&board.irqs(), line);
    board_.clock().schedule(event_, first);
  }
  const std::vector<Cycles>& raised() const { return raised_; }

 private:
  static void fire(void* self, io::sim::Cycles now) {
    auto* d = static_cast<Device*>(self);
    d->raised_.push_back(now);
    d->irq_.pulse();
    d->seed_ = d->seed_ * 1103515245u + 12345u;
    const Cycles gap = d->mean_gap_ / 2 + (d->seed_ >> 8) % d->mean_gap_;
    if (now + gap < d->until_) d->board_.clock().schedule(d->event_, now + gap);
  }
  io::sim::SimBoard& board_;
  Cycles mean_gap_;
  Cycles until_;
  std::uint32_t seed_ = 1;
  std::vector<Cycles> raised_;
  io::sim::IrqOutput irq_;
  io::sim::SimEvent event_{&Device::fire, this};
};

ContainerSpec background() {
  ContainerSpec s;
  s.name = "background";
  s.module = load_guest("background");
  s.task = TaskSpec{"task", 200};
  return s;
}

struct Wcet {
  Cycles min = 0, max = 0;
  double mean = 0;
  std::uint64_t count = 0;
};

Wcet wcet_of(const HandlerStats& s) {
  Wcet w;
  w.count = s.work_count;
  if (w.count == 0) return w;
  w.min = s.work_min;
  w.max = s.wcet_max;
  w.mean = static_cast<double>(s.work_sum) / static_cast<double>(s.work_count);
  return w;
}

struct Latency {
  double mean = 0;
  Cycles min = 0, max = 0;
  std::uint64_t count = 0;
  Wcet wcet;
};

Latency wasm_latency(Cycles span) {
  io::sim::SimBoard board(kClockHz, 32, 3);
  SimPlatform platform(board);
  Scheduler s(platform);
  std::string error;
  ContainerSpec h;
  h.name = "driver";
  h.module = load_guest("handler");
  HandlerSpec hs;
  hs.line = kLine;
  hs.export_name = "on_irq";
  hs.priority = 1;
  hs.budget_fuel = 1000;
  h.handlers = {hs};
  h.task = TaskSpec{"task", 10};
  auto id = s.install(std::move(h), &error);
  auto bg = s.install(background(), &error);
  if (!id || !bg) {
    std::fprintf(stderr, "irq-bench: %s\n", error.c_str());
    std::exit(1);
  }
  s.start(*id);
  s.start(*bg);
  Device device(board, kLine, 50 * kUs, 97 * kUs, span);
  s.run_until(span + 1000 * kUs);
  const HandlerStats& st = *s.handler_stats(*id, kLine);
  Latency l;
  l.count = st.activations;
  l.mean = st.activations ? static_cast<double>(st.latency_sum) / st.activations : 0;
  l.min = st.latency_min;
  l.max = st.latency_max;
  l.wcet = wcet_of(st);
  if (st.activations != device.raised().size()) {
    std::fprintf(stderr, "irq-bench: %llu activations for %zu interrupts\n",
                 static_cast<unsigned long long>(st.activations), device.raised().size());
    std::exit(1);
  }
  return l;
}

// Two Wasm handlers at E1/4 under the background task: a data-dependent one (priority 2, on
// the timer line) and the counter (priority 1, on the dual timer's line) preempting it.
struct NestedWcet {
  Wcet variable, counter;
  std::uint64_t preemptions = 0;
};

NestedWcet nested_wcet(Cycles span) {
  constexpr std::uint32_t kOtherLine = 10;
  io::sim::SimBoard board(kClockHz, 32, 3);
  SimPlatform platform(board);
  Scheduler s(platform);
  std::string error;
  auto handler_container = [](const char* name, const char* guest, std::uint32_t line,
                              std::uint8_t priority) {
    ContainerSpec c;
    c.name = name;
    c.module = load_guest(guest);
    HandlerSpec hs;
    hs.line = line;
    hs.export_name = "on_irq";
    hs.priority = priority;
    hs.budget_fuel = 1000;
    c.handlers = {hs};
    c.task = TaskSpec{"task", 10};
    return c;
  };
  auto v = s.install(handler_container("variable", "variable", kLine, 2), &error);
  auto c = s.install(handler_container("counter", "handler", kOtherLine, 1), &error);
  auto bg = s.install(background(), &error);
  if (!v || !c || !bg) {
    std::fprintf(stderr, "irq-bench: %s\n", error.c_str());
    std::exit(1);
  }
  for (ContainerId id : {*v, *c, *bg}) s.start(id);
  Device slow(board, kLine, 50 * kUs, 97 * kUs, span);
  Device fast(board, kOtherLine, 61 * kUs, 13 * kUs, span);
  s.run_until(span + 1000 * kUs);
  NestedWcet r;
  r.variable = wcet_of(*s.handler_stats(*v, kLine));
  r.counter = wcet_of(*s.handler_stats(*c, kOtherLine));
  r.preemptions = s.handler_stats(*v, kLine)->preemptions;
  return r;
}

struct NativeProbe {
  const std::vector<Cycles>* raised = nullptr;
  std::size_t next = 0;
  Latency l;
  Cycles sum = 0;
  std::uint32_t counter = 0;  // the native handler's work
};

void native_handler(void* context, std::uint32_t, Cycles entered) {
  auto* p = static_cast<NativeProbe*>(context);
  const Cycles latency = entered - (*p->raised)[p->next++];
  ++p->counter;
  p->l.min = p->l.count == 0 ? latency : std::min(p->l.min, latency);
  p->l.max = std::max(p->l.max, latency);
  p->sum += latency;
  ++p->l.count;
}

Latency native_latency(Cycles span) {
  io::sim::SimBoard board(kClockHz, 32, 3);
  SimPlatform platform(board);
  Scheduler s(platform);
  std::string error;
  auto bg = s.install(background(), &error);
  s.start(*bg);
  Device device(board, kLine, 50 * kUs, 97 * kUs, span);
  NativeProbe probe;
  probe.raised = &device.raised();
  // The C handler's body: read the counter, increment, store, return: ~6 Cortex-M3 cycles.
  s.attach_native(kLine, 1, NativeHandler{&native_handler, &probe, 6});
  s.run_until(span + 1000 * kUs);
  probe.l.mean = probe.l.count ? static_cast<double>(probe.sum) / probe.l.count : 0;
  probe.l.wcet = Wcet{6, 6, 6.0, probe.l.count};
  return probe.l;
}

struct Interference {
  std::uint64_t misses = 0;
  std::uint64_t jobs = 0;
  std::uint64_t overruns = 0;
  std::uint64_t activations = 0;
  Wcet wcet;  // of the misbehaving handler
};

Interference interference(bool misbehaving, bool enforce_budget) {
  io::sim::SimBoard board(kClockHz, 32, 3);
  SimPlatform platform(board);
  Scheduler s(platform);
  std::string error;
  ContainerSpec victim;
  victim.name = "periodic";
  victim.module = load_guest("periodic");
  victim.task = TaskSpec{"task", 10, 1000 * kUs};
  auto v = s.install(std::move(victim), &error);
  s.start(*v);
  std::optional<ContainerId> bad;
  if (misbehaving) {
    ContainerSpec m;
    m.name = "misbehaving";
    m.module = load_guest("misbehaving");
    HandlerSpec hs;
    hs.line = kLine;
    hs.export_name = "on_irq";
    hs.priority = 0;
    hs.budget_fuel = enforce_budget ? 500 : 0;
    hs.min_interarrival = 500 * kUs;  // as its manifest would declare
    m.handlers = {hs};
    m.task = TaskSpec{"task", 5};
    m.fault_policy = FaultPolicy::kNotify;
    bad = s.install(std::move(m), &error);
    s.start(*bad);
  }
  Device device(board, kLine, 30 * kUs, 200 * kUs, 100'000 * kUs);
  s.run_until(100'000 * kUs);
  Interference r;
  r.misses = s.task_stats(*v)->deadlines_missed;
  r.jobs = s.task_stats(*v)->jobs;
  if (bad) {
    r.overruns = s.handler_stats(*bad, kLine)->overruns;
    r.activations = s.handler_stats(*bad, kLine)->activations;
    r.wcet = wcet_of(*s.handler_stats(*bad, kLine));
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
  const Cycles span = (smoke ? 20'000 : 200'000) * kUs;
  const Latency w = wasm_latency(span);
  const Latency n = native_latency(span);
  const CostModel k;
  std::printf("irq-latency wasm=%.1f native=%.1f ratio=%.2f\n", w.mean, n.mean,
              n.mean > 0 ? w.mean / n.mean : 0.0);
  std::printf("irq-latency-detail interrupts=%llu wasm min=%llu max=%llu native min=%llu "
              "max=%llu (virtual cycles at %llu MHz; %llu cycles per Wasm instruction)\n",
              static_cast<unsigned long long>(w.count), static_cast<unsigned long long>(w.min),
              static_cast<unsigned long long>(w.max), static_cast<unsigned long long>(n.min),
              static_cast<unsigned long long>(n.max),
              static_cast<unsigned long long>(kClockHz / 1'000'000),
              static_cast<unsigned long long>(k.cycles_per_fuel));
  const Interference bad = interference(true, true);
  auto print_wcet = [](const char* level, const char* handler, const Wcet& x) {
    if (x.count == 0) return;  // no activation ended: nothing to report
    std::printf("irq-wcet level=%s handler=%s min=%llu mean=%.1f max=%llu\n", level, handler,
                static_cast<unsigned long long>(x.min), x.mean,
                static_cast<unsigned long long>(x.max));
  };
  print_wcet("E1/4", "driver/on_irq", w.wcet);
  print_wcet("E1/4", "misbehaving/on_irq", bad.wcet);
  const NestedWcet nested = nested_wcet(span);
  print_wcet("E1/4", "variable/on_irq", nested.variable);
  print_wcet("E1/4", "counter/on_irq", nested.counter);
  print_wcet("E0", "native-c", n.wcet);
  std::printf("irq-wcet-detail variable/on_irq preempted %llu times by counter/on_irq "
              "(its figures count its own slices only)\n",
              static_cast<unsigned long long>(nested.preemptions));
  const Interference none = interference(false, true);
  const Interference unbounded = interference(true, false);
  std::printf("interference misses=%llu jobs=%llu overruns=%llu\n",
              static_cast<unsigned long long>(bad.misses),
              static_cast<unsigned long long>(bad.jobs),
              static_cast<unsigned long long>(bad.overruns));
  std::printf("interference-baseline misses=%llu jobs=%llu (no misbehaving handler)\n",
              static_cast<unsigned long long>(none.misses),
              static_cast<unsigned long long>(none.jobs));
  std::printf("interference-unbounded misses=%llu jobs=%llu (misbehaving handler, no budget)\n",
              static_cast<unsigned long long>(unbounded.misses),
              static_cast<unsigned long long>(unbounded.jobs));
  return 0;
}
