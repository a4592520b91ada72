// wasmio-io-bench: the cost of a register access on each access path, against the same C code
// compiled natively doing volatile accesses to the same backend (bench/run io). Output:
//
//   io PATH read32_ns write32_ns ratio_vs_native        PATH: native, host-call, mapped, copy
//   io tmp105 PATH read_us ratio_vs_native              bit-banged TMP105 read on the sim board
//   io memory PATH ns_per_iteration ratio_vs_no_window  ordinary memory with/without a window
//   io wasm-linear-memory read32_ns write32_ns          the same loops on linear memory: the
//                                                       Wasm code around each access by itself
//   io mapped-load window_ns linear_ns overhead_ns      one pointer loop, window vs linear memory
//   io native-raw read32_ns write32_ns 1.00             plain volatile pointer loops (8 accesses
//   io mapped-raw read32_ns write32_ns ratio_vs_native    per iteration, no accessor): natively on
//   io linear-raw read32_ns write32_ns ratio_vs_native    the host memory, in Wasm on the mapped
//                                                       window, in Wasm on linear memory
//   io mapped-aot read32_ns write32_ns ratio_vs_native  the raw loops compiled ahead of time
//   io linear-aot read32_ns write32_ns ratio_vs_native    (docs/design/0015): on the window, on
//                                                       linear memory; ratio vs native-raw
//
// Register accesses go to a raw-memory window (host memory standing in for the AN385 FPGAIO
// block at 0x40028000); the TMP105 read goes through the simulated SBCon I2C model. Times are
// thread CPU time, best of --reps runs. ratio_vs_native compares read+write per access.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <time.h>

#include "io/access/register_backend.h"
#include "io/container/board_session.h"
#include "io/container/driver_container.h"
#include "io/sim/tmp105.h"
#include "tmp105/tmp105.h"
#include "wasmio/driver.h"  // the native stand-in (bench/io/native)

// The native build of kernels/io_regs.c and of the TMP105 driver sources.
std::uint32_t io_read_loop(std::uint32_t n);
void io_write_loop(std::uint32_t n);
std::uint32_t io_memory_loop(std::uint32_t n);
std::uint32_t io_raw_read_loop(volatile std::uint32_t* p, std::uint32_t n);
void io_raw_write_loop(volatile std::uint32_t* p, std::uint32_t n);
extern wasmio_window wasmio_win_regs_0;
// The AOT image of io_regs_mapped.wasm (cmake/WasmioAot.cmake).
extern "C" const wasmio::AotImage wasmio_aot_io_regs_mapped;
extern wasmio_window wasmio_win_i2c_0;

namespace {

using namespace wasmio;
using namespace wasmio::io;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename F>
double best_of(int reps, F&& f) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const double start = cpu_seconds();
    f();
    best = std::min(best, cpu_seconds() - start);
  }
  return best;
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "wasmio-io-bench: %s\n", message.c_str());
  std::exit(1);
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) die("cannot read " + path);
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) {
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  std::fclose(f);
  return bytes;
}

// Every call checked: a benchmark of a failing call measures nothing.
std::uint32_t call(DriverContainer& c, const char* name, std::uint32_t arg, bool has_arg = true) {
  const Value args[] = {Value::i32(arg)};
  const CallResult r = c.call(name, has_arg ? std::span<const Value>(args) : std::span<const Value>());
  if (!r.ok) die(r.message);
  return r.results.empty() ? 0 : r.results[0].of.i32;
}

struct Options {
  int reps = 5;
  std::uint32_t accesses = 1u << 21;
  std::uint32_t tmp105_reads = 200;
  std::string boards_dir = WASMIO_BOARDS_DIR;
  std::string wasm_dir = WASMIO_IO_BENCH_WASM_DIR;
  std::string drivers_dir = WASMIO_DRIVERS_DIR;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--reps") {
      o.reps = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--accesses") {
      o.accesses = std::max<std::uint32_t>(8, std::strtoul(next().c_str(), nullptr, 0) & ~7u);
    } else if (a == "--tmp105-reads") {
      o.tmp105_reads = std::max<std::uint32_t>(1, std::strtoul(next().c_str(), nullptr, 0));
    } else if (a == "--smoke") {
      o.reps = 1;
      o.accesses = 4096;
      o.tmp105_reads = 2;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: wasmio-io-bench [--reps N] [--accesses N] [--tmp105-reads N] [--smoke]\n");
      std::exit(0);
    } else {
      die("unknown argument " + a);
    }
  }
  return o;
}

const char* const kPaths[] = {"host-call", "mapped", "copy"};
std::string file_suffix(const char* path) { return std::strcmp(path, "host-call") == 0 ? "host_call" : path; }

constexpr std::uint64_t kApbBase = 0x40000000;
constexpr std::uint64_t kApbSize = 0x100000;
constexpr std::uint64_t kFpgaio = 0x40028000;

// The TMP105 bus address for the native build (the wasm builds read it from their grant).
std::uint32_t g_sensor_address = 0x48;

}  // namespace

std::uint32_t wasmio_native_property_u32(const char* label, const char* name, std::uint32_t fallback) {
  if (std::strcmp(label, "sensor") == 0 && std::strcmp(name, "reg") == 0) return g_sensor_address;
  return fallback;
}

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::string dtb = o.boards_dir + "/mps2-an385.dtb";

  // --- register reads and writes on a raw-memory window -------------------------------------
  std::vector<std::uint32_t> apb(kApbSize / 4, 0);
  const std::uint32_t n = o.accesses;
  struct Row {
    std::string path;
    double read_ns, write_ns;
  };
  std::vector<Row> rows;

  wasmio_win_regs_0.registers = RegisterWindow::raw(kFpgaio, 32, apb.data() + (kFpgaio - kApbBase) / 4);
  std::uint32_t expected_sum = 0;
  {
    const double r = best_of(o.reps, [&] { expected_sum = io_read_loop(n); });
    const double w = best_of(o.reps, [&] { io_write_loop(n); });
    rows.push_back({"native", r * 1e9 / n, w * 1e9 / n});
  }
  // Plain volatile loops over the same registers (the raw-window target: mapped <= 2x native).
  volatile std::uint32_t* const fpgaio = apb.data() + (kFpgaio - kApbBase) / 4;
  double native_raw_read_ns = 0;
  double native_raw_write_ns = 0;
  std::uint32_t raw_sum = 0;
  {
    native_raw_read_ns = best_of(o.reps, [&] { raw_sum = io_raw_read_loop(fpgaio, n); }) * 1e9 / n;
    native_raw_write_ns = best_of(o.reps, [&] { io_raw_write_loop(fpgaio, n); }) * 1e9 / n;
    raw_sum = io_raw_read_loop(fpgaio, n);
  }
  double mapped_raw_read_ns = 0;
  double mapped_raw_write_ns = 0;
  double linear_raw_read_ns = 0;
  double linear_raw_write_ns = 0;
  // The native writes left registers 0..7 = n-8 .. n-1: every path must read the same sum back.
  expected_sum = io_read_loop(n);

  DevicetreeLoad tree = load_devicetree_file(dtb);
  if (!tree) die(tree.error);
  double mapped_memory_ns = 0;
  double unmapped_memory_ns = 0;
  double hostcall_memory_ns = 0;
  double plain_read_ns = 0;
  double pointer_window_ns = 0;
  double pointer_linear_ns = 0;
  double plain_write_ns = 0;
  for (const char* path : kPaths) {
    GrantRegistry registry(tree.tree->board());
    RawMemoryWindows windows(kApbBase, kApbSize, apb.data());
    const std::string file = o.wasm_dir + "/io_regs_" + file_suffix(path) + ".wasm";
    ContainerLoad load = DriverContainer::load(read_file(file), file, registry, windows);
    if (!load) die(load.error);
    DriverContainer& c = *load.container;
    std::uint32_t sum = 0;
    const double r = best_of(o.reps, [&] { sum = call(c, "read_loop", n); });
    if (sum != expected_sum) die(std::string(path) + ": read_loop returned a different sum than native");
    const double w = best_of(o.reps, [&] { call(c, "write_loop", n); });
    if (call(c, "read_loop", n) != expected_sum) die(std::string(path) + ": write_loop wrote other values");
    rows.push_back({path, r * 1e9 / n, w * 1e9 / n});

    const double m = best_of(o.reps, [&] { call(c, "memory_loop", n); }) * 1e9 / n;
    if (std::strcmp(path, "mapped") == 0) {
      // The raw loops on the window and on linear memory, results checked against native.
      const std::uint32_t window = call(c, "window_base", 0, false);
      const std::uint32_t linear = call(c, "linear_block", 0, false);
      if (window == 0 || linear == 0) die("mapped: no window or linear block");
      auto raw_loops = [&](std::uint32_t base, double* read_ns, double* write_ns) {
        const Value args[] = {Value::i32(base), Value::i32(n)};
        *write_ns = best_of(o.reps, [&] {
          if (!c.call("raw_write_loop", args).ok) die("raw_write_loop failed");
        }) * 1e9 / n;
        CallResult r;
        *read_ns = best_of(o.reps, [&] { r = c.call("raw_read_loop", args); }) * 1e9 / n;
        if (!r.ok || r.results.empty() || r.results[0].of.i32 != raw_sum) {
          die("raw_read_loop returned a different sum than native");
        }
      };
      raw_loops(window, &mapped_raw_read_ns, &mapped_raw_write_ns);
      raw_loops(linear, &linear_raw_read_ns, &linear_raw_write_ns);
      mapped_memory_ns = m;
      const Value window_args[] = {Value::i32(n), Value::i32(1)};
      const Value linear_args[] = {Value::i32(n), Value::i32(0)};
      pointer_window_ns = best_of(o.reps, [&] {
        if (!c.call("pointer_read_loop", window_args).ok) die("pointer_read_loop failed");
      }) * 1e9 / n;
      pointer_linear_ns = best_of(o.reps, [&] {
        if (!c.call("pointer_read_loop", linear_args).ok) die("pointer_read_loop failed");
      }) * 1e9 / n;
      // The same instance with the window handler removed: ordinary accesses must not care.
      Store::set_out_of_bounds_handler(c.instance().memory(0), OutOfBoundsHandler{});
      unmapped_memory_ns = best_of(o.reps, [&] { call(c, "memory_loop", n); }) * 1e9 / n;
    } else if (std::strcmp(path, "host-call") == 0) {
      hostcall_memory_ns = m;
      plain_read_ns = best_of(o.reps, [&] { call(c, "plain_read_loop", n); }) * 1e9 / n;
      plain_write_ns = best_of(o.reps, [&] { call(c, "plain_write_loop", n); }) * 1e9 / n;
    }
  }
  // The same raw loops in native code generated ahead of time from the mapped build, in a
  // container of their own (the interpreted one above stays interpreted).
  double mapped_aot_read_ns = 0;
  double mapped_aot_write_ns = 0;
  double linear_aot_read_ns = 0;
  double linear_aot_write_ns = 0;
  {
    GrantRegistry registry(tree.tree->board());
    RawMemoryWindows windows(kApbBase, kApbSize, apb.data());
    const std::string file = o.wasm_dir + "/io_regs_mapped.wasm";
    ContainerLoad load = DriverContainer::load(read_file(file), file, registry, windows);
    if (!load) die(load.error);
    DriverContainer& c = *load.container;
    auto attached = c.instance().attach_native(wasmio_aot_io_regs_mapped);
    if (!attached) die(std::string("aot image refused: ") + attached.error().message());
    const std::uint32_t window = call(c, "window_base", 0, false);
    const std::uint32_t linear = call(c, "linear_block", 0, false);
    if (window == 0 || linear == 0) die("mapped-aot: no window or linear block");
    auto raw_loops = [&](std::uint32_t base, double* read_ns, double* write_ns) {
      const Value args[] = {Value::i32(base), Value::i32(n)};
      *write_ns = best_of(o.reps, [&] {
        if (!c.call("raw_write_loop", args).ok) die("aot raw_write_loop failed");
      }) * 1e9 / n;
      CallResult r;
      *read_ns = best_of(o.reps, [&] { r = c.call("raw_read_loop", args); }) * 1e9 / n;
      if (!r.ok || r.results.empty() || r.results[0].of.i32 != raw_sum) {
        die("aot raw_read_loop returned a different sum than native");
      }
    };
    raw_loops(window, &mapped_aot_read_ns, &mapped_aot_write_ns);
    raw_loops(linear, &linear_aot_read_ns, &linear_aot_write_ns);
  }
  const double native_rw = rows[0].read_ns + rows[0].write_ns;
  for (const Row& row : rows) {
    std::printf("io %s %.2f %.2f %.2f\n", row.path.c_str(), row.read_ns, row.write_ns,
                (row.read_ns + row.write_ns) / native_rw);
  }
  const double native_raw_rw = native_raw_read_ns + native_raw_write_ns;
  std::printf("io native-raw %.2f %.2f 1.00\n", native_raw_read_ns, native_raw_write_ns);
  std::printf("io mapped-raw %.2f %.2f %.2f\n", mapped_raw_read_ns, mapped_raw_write_ns,
              (mapped_raw_read_ns + mapped_raw_write_ns) / native_raw_rw);
  std::printf("io linear-raw %.2f %.2f %.2f\n", linear_raw_read_ns, linear_raw_write_ns,
              (linear_raw_read_ns + linear_raw_write_ns) / native_raw_rw);
  std::printf("io mapped-aot %.2f %.2f %.2f\n", mapped_aot_read_ns, mapped_aot_write_ns,
              (mapped_aot_read_ns + mapped_aot_write_ns) / native_raw_rw);
  std::printf("io linear-aot %.2f %.2f %.2f\n", linear_aot_read_ns, linear_aot_write_ns,
              (linear_aot_read_ns + linear_aot_write_ns) / native_raw_rw);
  std::printf("io wasm-linear-memory %.2f %.2f\n", plain_read_ns, plain_write_ns);
  std::printf("io mapped-load %.2f %.2f %.2f\n", pointer_window_ns, pointer_linear_ns,
              pointer_window_ns - pointer_linear_ns);
  std::printf("io memory mapped-window %.2f %.3f\n", mapped_memory_ns, mapped_memory_ns / unmapped_memory_ns);
  std::printf("io memory no-window %.2f 1.000\n", unmapped_memory_ns);
  std::printf("io memory host-call-container %.2f %.3f\n", hostcall_memory_ns, hostcall_memory_ns / unmapped_memory_ns);

  // --- the bit-banged TMP105 read on the simulated board -------------------------------------
  const std::int32_t kMillicelsius = 23500;
  double native_us = 0;
  {
    std::string error;
    auto session = BoardSession::open_file(dtb, &error);
    if (!session) die(error);
    const BoardNode* bus = session->tree().find_by_label("i2c_shield1");
    const BoardNode* sensor = session->tree().find_by_label("tmp105");
    if (bus == nullptr || sensor == nullptr || bus->regs.empty()) die("board lacks i2c_shield1/tmp105");
    g_sensor_address = static_cast<std::uint32_t>(sensor->bus_address);
    session->board().find_as<sim::Tmp105>("tmp105")->set_temperature_mc(kMillicelsius);
    wasmio_win_i2c_0.registers = sim_register_window(session->board(), bus->regs[0].address, 8, 4);
    if (tmp105_init() != 0) die("native: tmp105 does not answer");
    std::int32_t mc = 0;
    const double t = best_of(o.reps, [&] {
      for (std::uint32_t i = 0; i < o.tmp105_reads; ++i) {
        if (tmp105_read_mc(&mc) != 0 || mc != kMillicelsius) die("native: wrong TMP105 reading");
      }
    });
    native_us = t * 1e6 / o.tmp105_reads;
    std::printf("io tmp105 native %.2f 1.00\n", native_us);
  }
  for (const char* path : kPaths) {
    std::string error;
    auto session = BoardSession::open_file(dtb, &error);
    if (!session) die(error);
    session->board().find_as<sim::Tmp105>("tmp105")->set_temperature_mc(kMillicelsius);
    const std::string file = o.drivers_dir + "/temperature_" + file_suffix(path) + ".wasm";
    ContainerLoad load = session->load(read_file(file), file);
    if (!load) die(load.error);
    DriverContainer& c = *load.container;
    if (call(c, "init", 0, false) != 0) die(std::string(path) + ": tmp105 does not answer");
    const double t = best_of(o.reps, [&] {
      for (std::uint32_t i = 0; i < o.tmp105_reads; ++i) {
        if (static_cast<std::int32_t>(call(c, "read_mc", 0, false)) != kMillicelsius) {
          die(std::string(path) + ": wrong TMP105 reading");
        }
      }
    });
    const double us = t * 1e6 / o.tmp105_reads;
    std::printf("io tmp105 %s %.2f %.2f\n", path, us, us / native_us);
  }
  return 0;
}
