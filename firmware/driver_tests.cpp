// The drivers of drivers/ (the same .wasm files the simulated board runs) on QEMU's AN385
// device models: manifest -> bind against the dtgen table -> raw windows at the physical
// addresses -> instantiate -> call.
#include "driver_tests.h"

#include <malloc.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "board_drivers.h"
#include "checks.h"
#include "install_frame.h"
#include "installer.h"
#include "platform/mps2-an385/board.h"
#include "platform/mps2-an385/nvic.h"
#include "wasmio/allocator.h"

namespace {

using namespace wasmio;
using namespace wasmio::firmware;
namespace an385 = wasmio::platform::an385;

const io::BoardNode* node_by_label(const io::BoardDescription& board, std::string_view label) {
  for (const io::BoardNode& n : board.nodes) {
    if (n.label == label) return &n;
  }
  return nullptr;
}

std::int32_t call_i32(io::DriverContainer& c, const char* name, std::span<const Value> args = {}) {
  io::CallResult r = c.call(name, args, 50'000'000);
  if (!r.ok || r.results.size() != 1) {
    std::printf("  %s: %s\n", name, r.ok ? "no result" : r.message.c_str());
    return INT32_MIN;
  }
  return r.results[0].of.i32;
}

void table_tests(const io::BoardDescription& board) {
  std::printf("board table (tools/dtgen, %u nodes, model '%.*s'):\n",
              static_cast<unsigned>(board.nodes.size()), static_cast<int>(board.model.size()),
              board.model.data());
  const io::BoardNode* uart0 = node_by_label(board, "uart0");
  check(uart0 != nullptr && uart0->regs.size() == 1 && uart0->regs[0].address == an385::kUart0 &&
            uart0->irqs.size() == 3 && uart0->irqs[0] == 0,
        "uart0 in the table: window 0x40004000, RX line 0");
  const io::BoardNode* tmp = node_by_label(board, "tmp105");
  check(tmp != nullptr && tmp->parent < board.nodes.size() &&
            board.nodes[tmp->parent].regs.size() == 1 &&
            board.nodes[tmp->parent].regs[0].address == 0x4002A000 && tmp->bus_address == 0x48,
        "tmp105 in the table: address 0x48 on the SBCon at 0x4002A000");
}

void uart_test(BoardDrivers& drivers) {
  std::printf("uart_hello (CMSDK UART, host-call path):\n");
  io::ContainerLoad load = drivers.load(driver_image("uart_hello"), "uart_hello.wasm", true);
  if (!load) std::printf("  %s\n", load.error.c_str());
  check(load && load.container->binding().windows.size() == 1 &&
            load.container->binding().windows[0].address == an385::kUart0,
        "uart_hello bound to uart0 (0x40004000) by its manifest");
  if (!load) return;
  std::printf("  | ");
  std::fflush(stdout);
  const std::int32_t written = call_i32(*load.container, "main");
  check(written == 26, "uart_hello main() wrote its 26 bytes through the container");
}

void timer_test(BoardDrivers& drivers, const char* image, const char* what) {
  std::printf("%s:\n", what);
  io::ContainerLoad load = drivers.load(driver_image(image), image, true);
  if (!load) std::printf("  %s\n", load.error.c_str());
  check(load.operator bool(), "timer driver bound (first free arm,cmsdk-timer)");
  if (!load) return;
  io::DriverContainer& timer = *load.container;
  const io::BoundPeripheral* p = timer.binding().find("timer");
  const io::BoardNode& node = drivers.board().nodes[p->node];
  const std::uint32_t line = node.irqs.empty() ? 0 : node.irqs[0];
  // The driver polls INTSTATUS with the timer's interrupt output enabled: the NVIC latches the
  // line (masked, never taken), which checks the table's interrupt number against QEMU's wiring.
  an385::nvic_disable(line);
  an385::nvic_clear_pending(line);
  constexpr std::uint32_t kDelayUs = 1000;
  constexpr int kDelays = 5;
  // The cost of a call around the wait: delay(1 us) is one tick of waiting plus that overhead.
  // It scales with the instruction time (-icount shift), the delay itself does not.
  const Value one = Value::i32(1);
  const std::uint32_t overhead_start = an385::fpga_counter();
  call_i32(timer, "delay", {&one, 1});
  const std::uint32_t overhead = an385::fpga_counter() - overhead_start;
  an385::nvic_clear_pending(line);
  std::uint32_t total_ticks = 0, total_polls = 0;
  bool each_in_range = true, each_pending = true;
  for (int i = 0; i < kDelays; ++i) {
    const Value arg = Value::i32(kDelayUs);
    const std::uint32_t start = an385::fpga_counter();
    const std::int32_t polls = call_i32(timer, "delay", {&arg, 1});
    const std::uint32_t ticks = an385::fpga_counter() - start;
    total_ticks += ticks;
    total_polls += static_cast<std::uint32_t>(polls);
    // At least the delay; at most the delay plus twice the call overhead (one poll period).
    each_in_range = each_in_range && polls > 0 && ticks >= kDelayUs * 25 &&
                    ticks <= kDelayUs * 25 + 2 * overhead;
    each_pending = each_pending && an385::nvic_pending(line);
    an385::nvic_clear_pending(line);
  }
  std::printf("  timer: %d x delay(%" PRIu32 " us) on %.*s: %" PRIu32 " counter ticks at 25 MHz "
              "(call overhead %" PRIu32 "), %" PRIu32 " polls, IRQ line %" PRIu32 "\n",
              kDelays, kDelayUs, static_cast<int>(node.path.size()), node.path.data(), total_ticks,
              overhead, total_polls, line);
  check(each_in_range,
        "each delay(1000 us) took 25000 ticks of the independent FPGAIO counter + at most 2 call overheads");
  check(each_pending, "the timer's expiry latched the NVIC line the devicetree names");
}

void temperature_test(BoardDrivers& drivers) {
  std::printf("temperature (SBCon I2C + TMP105, no sensor attached in this boot):\n");
  io::ContainerLoad load = drivers.load(driver_image("temperature"), "temperature.wasm", true);
  if (!load) std::printf("  %s\n", load.error.c_str());
  check(load && load.container->binding().windows.size() == 1 &&
            load.container->binding().windows[0].address == 0x4002A000,
        "temperature bound to the SBCon of the sensor's bus (0x4002A000)");
  if (!load) return;
  check(call_i32(*load.container, "main") == INT32_MIN,
        "no TMP105 on the bus: the driver reports no reading (NACK), nothing crashes");
}

void refusal_tests(BoardDrivers& drivers) {
  std::printf("refusals:\n");
  io::ContainerLoad load = drivers.load(driver_image("unbindable"), "unbindable.wasm", true);
  check(!load && load.failure == io::LoadFailure::kBinding && load.refusal &&
            load.refusal->has(io::RefusalKind::kNoCompatibleNode),
        "a manifest naming a device the board lacks is refused at binding");
  std::printf("  (%s)\n", load.error.c_str());
  load = drivers.load(driver_image("nvic_grab"), "nvic_grab.wasm", true);
  check(!load && load.failure == io::LoadFailure::kBackend,
        "a manifest asking for the NVIC gets no window (drivers see the APB only)");
  std::printf("  (%s)\n", load.error.c_str());
  check(drivers.registry().container_count() == 0, "refused loads left no grant behind");
}

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  int next() override { return pos_ < bytes_.size() ? bytes_[pos_++] : -1; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

void frame_tests(BoardDrivers& drivers) {
  std::printf("installation frames (from memory; tests/qemu sends them over UART0):\n");
  const std::span<const std::uint8_t> image = driver_image("timer_delay");
  std::vector<std::uint8_t> frame = make_frame(image);
  std::vector<InstalledDriver> installed;

  std::vector<std::uint8_t> bad = frame;
  bad[kFrameHeaderBytes + image.size() / 2] ^= 0x01;
  MemorySource bad_source(bad);
  Frame f = receive_frame(bad_source);
  check(f.status == FrameStatus::kBadCrc, "one flipped payload bit: CRC-32 mismatch");

  MemorySource short_source(std::span<const std::uint8_t>(frame).first(frame.size() - 10));
  f = receive_frame(short_source);
  check(f.status == FrameStatus::kStalled && f.received == image.size() - 10,
        "a frame cut short stalls and says how far it got");

  std::vector<std::uint8_t> huge = frame;
  huge[6] = 0x10;  // length += 1 MiB
  MemorySource huge_source(huge);
  check(receive_frame(huge_source).status == FrameStatus::kTooLong,
        "a length over the cap is refused before any payload is read");

  std::vector<std::uint8_t> magic = frame;
  magic[0] = 'X';
  MemorySource magic_source(magic);
  check(receive_frame(magic_source).status == FrameStatus::kBadMagic, "a wrong magic is refused");

  MemorySource good_source(frame);
  InstallOutcome out = install_driver(drivers, receive_frame(good_source), installed);
  std::printf("  %s\n", out.message.c_str());
  check(out.ok && installed.size() == 1, "a good frame installs the timer driver from RAM");

  MemorySource again_source(frame);
  out = install_driver(drivers, receive_frame(again_source), installed);
  std::printf("  %s\n", out.message.c_str());
  check(!out.ok && installed.size() == 1, "installing the same driver twice is refused (bound)");
}

// The same drivers linked with 16 KiB of linear memory (1-byte pages, custom-page-sizes proposal)
// under a 16 KiB cap: what an MCU deployment gives a container.
void small_memory_tests(BoardDrivers& drivers) {
  std::printf("16 KiB linear memory (custom page sizes):\n");
#if WASMIO_FIRMWARE_HAVE_16K
  constexpr std::uint64_t kCap = 16 * 1024;
  const std::size_t engine_before = wasmio::allocated_bytes();
  const std::size_t heap_before = mallinfo().uordblks;
  io::ContainerLoad load = drivers.load(driver_image("uart_hello_16k"), "uart_hello_16k.wasm", true,
                                        kCap);
  if (!load) std::printf("  %s\n", load.error.c_str());
  const std::size_t linear =
      load ? Store::memory_data(load.container->instance().memory()).size() : 0;
  check(load && linear == kCap, "uart_hello linked for 16 KiB loads with exactly 16384 bytes of memory");
  if (load) {
    const std::size_t engine = wasmio::allocated_bytes() - engine_before;
    const std::size_t heap = mallinfo().uordblks - heap_before;
    std::printf("mcu-driver-container-ram driver=uart_hello_16k engine=%u heap-total=%u linear=%u "
                "besides-linear=%u\n",
                static_cast<unsigned>(engine), static_cast<unsigned>(heap),
                static_cast<unsigned>(linear), static_cast<unsigned>(heap - linear));
    std::printf("  | ");
    std::fflush(stdout);
    check(call_i32(*load.container, "main") == 26, "uart_hello in 16 KiB wrote its 26 bytes");
  }
  load = {};
  io::ContainerLoad sensor =
      drivers.load(driver_image("temperature_16k"), "temperature_16k.wasm", true, kCap);
  check(sensor && call_i32(*sensor.container, "main") == INT32_MIN,
        "temperature in 16 KiB runs its I2C transaction (no sensor in this boot: no reading)");
  sensor = {};
  // The 64 KiB-page build of the same driver needs 128 KiB: the cap refuses it.
  io::ContainerLoad big = drivers.load(driver_image("uart_hello"), "uart_hello.wasm", true, kCap);
  check(!big && big.failure == io::LoadFailure::kInstance,
        "the 64 KiB-page build is refused under the 16 KiB cap");
  std::printf("  (%s)\n", big.error.c_str());
#else
  (void)drivers;
  std::printf("  not built (no host wasmio tool at configure time: WASMIO_TOOL)\n");
#endif
}

void ram_figures(BoardDrivers& drivers) {
  // RAM one container takes besides its linear memory: engine heap (module, execution, store,
  // instance) and everything else (binding, host functions, strings) from malloc.
  const std::span<const std::uint8_t> image = driver_image("temperature");
  const std::size_t engine_before = wasmio::allocated_bytes();
  const std::size_t heap_before = mallinfo().uordblks;
  io::ContainerLoad load = drivers.load(image, "temperature.wasm", true);
  if (!load) return;
  const std::size_t linear = Store::memory_data(load.container->instance().memory()).size();
  const std::size_t engine = wasmio::allocated_bytes() - engine_before;
  const std::size_t heap = mallinfo().uordblks - heap_before;
  std::printf("mcu-driver-container-ram driver=temperature engine=%u heap-total=%u linear=%u "
              "besides-linear=%u\n",
              static_cast<unsigned>(engine), static_cast<unsigned>(heap),
              static_cast<unsigned>(linear), static_cast<unsigned>(heap - linear));
}

}  // namespace

void run_driver_tests() {
  BoardDrivers drivers;
  table_tests(drivers.board());
  uart_test(drivers);
  timer_test(drivers, "timer_delay", "timer_delay (CMSDK timer, host-call path)");
  timer_test(drivers, "timer_delay_mapped", "timer_delay (CMSDK timer, mapped path)");
  temperature_test(drivers);
  refusal_tests(drivers);
  frame_tests(drivers);
  small_memory_tests(drivers);
  ram_figures(drivers);
}
