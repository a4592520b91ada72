// wasmio-footprint: the memory one driver container costs on the host build, installed through
// the real loader (sched::load_driver: manifest, module check, binding, grants) and the
// scheduler (Scheduler::install: store, instance, linear memory, executions) on the simulated
// AN385. Engine bytes are counted by the engine's allocation hook (wasmio::allocated_bytes);
// host bytes (I/O layer and scheduler C++ objects) by this program's counting operator new.
//
// Output (fixed formats, one line each; all values are live bytes):
//   footprint driver=NAME module=N lowered=N instance=N executions=N linear=N io=N sched=N total=N
//             binary=N execution_count=N stack_slots=N
//       module      engine: decoded + validated module, incl. its copy of the binary
//       lowered     engine: the lowered (register) code of all functions
//       instance    engine: store, instance, tables, globals (without linear memory)
//       executions  engine: one Execution (value stack + frames) per handler and task
//       linear      engine: linear memory as allocated
//       io        host: manifest, binding, grants, register windows, import closures
//       sched     host: the scheduler's container and handler records
//   footprint-scaling driver=NAME containers=K total=N first=N marginal=N
//       K copies of one driver in one scheduler; marginal = (total(K) - total(1)) / (K - 1)
//   footprint-release driver=NAME engine_left=N host_left=N
//       bytes still live after removing all K containers (the scheduler may keep capacity)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "counting_new.h"
#include "io/container/board_session.h"
#include "sched/driver_loader.h"
#include "sched/scheduler.h"
#include "sched/sim_platform.h"
#include "wasmio/allocator.h"
#include "wasmio/engine.h"

namespace wasmio::bench {
namespace {

struct Options {
  std::string board = WASMIO_FOOTPRINT_BOARD;
  std::string drivers_dir = WASMIO_FOOTPRINT_DRIVERS_DIR;
  std::string irq_drivers_dir = WASMIO_FOOTPRINT_IRQ_DRIVERS_DIR;
  std::string scaling_driver = "temperature_host_call";
  unsigned containers = 16;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "wasmio-footprint: %s\n", message.c_str());
  std::exit(1);
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// Engine and host live bytes at one moment.
struct Counts {
  std::size_t engine = allocated_bytes();
  std::size_t host = host_live_bytes();
};

// Lowered code: a module loaded up to validation vs the same module lowered, both measured
// by the engine hook with the loader's options (the binary copied).
std::size_t lowered_bytes(const std::vector<std::uint8_t>& bytes) {
  auto measure = [&](LoadStage stage) -> std::size_t {
    const std::size_t before = allocated_bytes();
    LoadOptions options;
    options.stage = stage;
    auto module = Module::load(bytes, options);
    if (!module) die("the module does not load: " + std::string(module.error().message()));
    return allocated_bytes() - before;
  };
  const std::size_t validated = measure(LoadStage::kValidate);
  const std::size_t lowered = measure(LoadStage::kLower);
  return lowered >= validated ? lowered - validated : 0;
}

// The loader runs export "main" as the container's task only when it is () -> (); the polled
// drivers' main returns a value (they are called, not scheduled), so they get no task.
bool has_task_main(const std::vector<std::uint8_t>& bytes) {
  LoadOptions options;
  options.stage = LoadStage::kDecode;
  auto module = Module::load(bytes, options);
  if (!module) return false;
  const Module& m = **module;
  for (std::uint32_t i = 0; i < m.export_count(); ++i) {
    const ExportInfo e = m.export_(i);
    if (e.name != "main" || e.kind != ExternKind::kFunction) continue;
    const FuncType type = m.function_type(e.index);
    return type.params.empty() && type.results.empty();
  }
  return false;
}

// A board and a scheduler with nothing installed: the baseline every count is relative to.
struct Bench {
  std::unique_ptr<io::BoardSession> session;
  std::unique_ptr<sched::SimPlatform> platform;
  std::unique_ptr<sched::Scheduler> scheduler;

  explicit Bench(const std::string& board) {
    std::string error;
    session = io::BoardSession::open_file(board, &error);
    if (!session) die(error);
    platform = std::make_unique<sched::SimPlatform>(session->board());
    scheduler = std::make_unique<sched::Scheduler>(*platform);
  }

  struct Installed {
    sched::ContainerId id;
    Counts after_load;
    Counts after_install;
    std::size_t executions = 0;  // handlers + task: each gets its own Execution
    ExecutionConfig execution;
  };

  // `execution`: the deployment's stack configuration; empty: the engine's default.
  Installed install(const std::vector<std::uint8_t>& bytes, const std::string& file,
                    const std::string& name, std::optional<ExecutionConfig> execution = {}) {
    sched::DriverOptions options;
    options.name = name;
    if (!has_task_main(bytes)) options.task_export.clear();
    sched::DriverLoad load = sched::load_driver(bytes, file, session->registry(), session->windows(),
                                                session->board().clock().frequency_hz(), options);
    if (!load) die(file + ": " + load.error);
    if (execution) load.spec->execution = *execution;
    const std::size_t executions = load.spec->handlers.size() + (load.spec->task ? 1 : 0);
    const ExecutionConfig config = load.spec->execution;
    const Counts after_load;
    std::string error;
    auto id = scheduler->install(std::move(*load.spec), &error);
    if (!id) die(file + ": install: " + error);
    return {*id, after_load, Counts{}, executions, config};
  }

  std::size_t linear_bytes(sched::ContainerId id) const {
    Instance* instance = scheduler->instance(id);
    if (instance == nullptr) die("installed container has no instance");
    std::size_t bytes = 0;
    for (std::uint32_t i = 0; MemoryInstance* m = instance->memory(i); ++i) {
      bytes += Store::memory_data(m).size();
    }
    return bytes;
  }
};

// Engine bytes of one Execution with this configuration (value stack and frame stack).
std::size_t execution_bytes(const ExecutionConfig& config) {
  const std::size_t before = allocated_bytes();
  auto execution = std::make_unique<Execution>(config);
  return allocated_bytes() - before;
}

void per_driver(const Options& o, const std::string& name, const std::string& file,
                std::optional<ExecutionConfig> execution = {}) {
  const std::vector<std::uint8_t> bytes = read_file(file);
  const std::size_t lowered = lowered_bytes(bytes);
  Bench bench(o.board);
  const Counts base;
  const Bench::Installed c = bench.install(bytes, file, name, execution);
  const std::size_t linear = bench.linear_bytes(c.id);
  const std::size_t executions = c.executions * execution_bytes(c.execution);
  const std::size_t engine_load = c.after_load.engine - base.engine;
  const std::size_t engine_install = c.after_install.engine - c.after_load.engine;
  const std::size_t io = c.after_load.host - base.host;
  const std::size_t sched = c.after_install.host - c.after_load.host;
  if (engine_load < lowered || engine_install < linear + executions) die(name + ": inconsistent counts");
  if (lowered == 0 || linear == 0) die(name + ": no lowered code or no linear memory counted");
  const std::size_t module = engine_load - lowered;
  const std::size_t instance = engine_install - linear - executions;
  std::printf("footprint driver=%s module=%zu lowered=%zu instance=%zu executions=%zu linear=%zu io=%zu "
              "sched=%zu total=%zu binary=%zu execution_count=%zu stack_slots=%u\n",
              name.c_str(), module, lowered, instance, executions, linear, io, sched,
              module + lowered + instance + executions + linear + io + sched, bytes.size(), c.executions,
              c.execution.stack_slots);
}

void scaling(const Options& o) {
  const std::string& name = o.scaling_driver;
  const std::string file = o.drivers_dir + "/" + name + ".wasm";
  const std::vector<std::uint8_t> bytes = read_file(file);
  Bench bench(o.board);
  const Counts base;
  std::vector<sched::ContainerId> ids;
  std::size_t first = 0;
  for (unsigned k = 1; k <= o.containers; ++k) {
    ids.push_back(bench.install(bytes, file, name + "-" + std::to_string(k)).id);
    const Counts now;
    const std::size_t total = (now.engine - base.engine) + (now.host - base.host);
    if (k == 1) first = total;
    const std::size_t marginal = k == 1 ? total : (total - first) / (k - 1);
    std::printf("footprint-scaling driver=%s containers=%u total=%zu first=%zu marginal=%zu\n",
                name.c_str(), k, total, first, marginal);
  }
  for (sched::ContainerId id : ids) {
    if (!bench.scheduler->remove(id)) die("remove failed");
  }
  const Counts after;
  const long long engine_left = static_cast<long long>(after.engine) - static_cast<long long>(base.engine);
  std::printf("footprint-release driver=%s engine_left=%lld host_left=%lld\n", name.c_str(), engine_left,
              static_cast<long long>(after.host) - static_cast<long long>(base.host));
  // Removing a container must give back everything the engine allocated for it.
  if (engine_left != 0) die("engine bytes not returned after removing every container");
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--smoke") {
      o.containers = 3;
    } else if (arg == "--containers") {
      const long n = std::strtol(value().c_str(), nullptr, 10);
      if (n < 2 || n > 1000) die("--containers must be 2..1000");
      o.containers = static_cast<unsigned>(n);
    } else if (arg == "--scaling-driver") {
      o.scaling_driver = value();
    } else if (arg == "--board") {
      o.board = value();
    } else if (arg == "--drivers-dir") {
      o.drivers_dir = value();
    } else if (arg == "--irq-drivers-dir") {
      o.irq_drivers_dir = value();
    } else if (arg == "--help" || arg == "-h") {
      std::printf("usage: wasmio-footprint [--smoke] [--containers N] [--scaling-driver NAME] "
                  "[--board DTB] [--drivers-dir DIR] [--irq-drivers-dir DIR]\n");
      std::exit(0);
    } else {
      die("unknown argument " + arg + " (--help)");
    }
  }
  return o;
}

}  // namespace
}  // namespace wasmio::bench

int main(int argc, char** argv) {
  using namespace wasmio::bench;
  const Options o = parse(argc, argv);
  std::printf("# wasmio-footprint: live bytes per driver container on the simulated AN385 via "
              "sched::load_driver + Scheduler::install; engine bytes by the allocation hook, host "
              "bytes by a counting operator new (sizes as requested, no allocator overhead)\n");
  for (const char* driver : {"uart_hello", "leds", "timer_delay", "temperature", "board_demo"}) {
    per_driver(o, std::string(driver) + "_host_call", o.drivers_dir + "/" + driver + "_host_call.wasm");
  }
  for (const char* path : {"mapped", "copy"}) {
    per_driver(o, std::string("temperature_") + path, o.drivers_dir + "/temperature_" + path + ".wasm");
  }
  per_driver(o, "irq_demo", o.irq_drivers_dir + "/irq_demo.wasm");
  // The same with the stacks an MCU deployment gives it (the firmware uses 256 slots, 16 frames).
  wasmio::ExecutionConfig small;
  small.stack_slots = 1024;
  small.max_frames = 64;
  per_driver(o, "irq_demo_1k_slots", o.irq_drivers_dir + "/irq_demo.wasm", small);
  scaling(o);
  return 0;
}
