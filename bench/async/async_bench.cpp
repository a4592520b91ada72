// UART block transmit on the simulated mps2-an385-dma board, three ways: the async service
// interrupt-driven, the async service through the PL081, and a polled loop writing DATA while
// TXFULL is clear. Then a full-duplex PL022 transfer (a W25Q16JV READ in place, SSPCLK / 2:
// 16 cycles per frame), interrupt-driven and through the PL081's two channels. Virtual time
// only (deterministic): cycles per byte from start to the last byte accepted by the UART (SPI:
// received), and the share of that time the CPU spent on the transfer (host service code for
// the async paths; the whole time for the polled loop, which spins).
//   async PATH bytes=N cycles_per_byte=X cpu_share=Y interrupts=K
// Usage: wasmio_async_bench BOARD.dtb [bytes...]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "io/async/async_io.h"
#include "io/container/board_session.h"
#include "io/sim/cmsdk_uart.h"

using namespace wasmio;
using namespace wasmio::io;

namespace {

constexpr std::uint64_t kUart0 = 0x40004000;
constexpr std::uint64_t kSpi = 0x40026000;  // shield-0 PL022, the flash selected at reset
constexpr std::uint32_t kBaudDiv = 217;     // 115200 baud at 25 MHz

// (module (memory 1)): a guest memory to lend from.
const std::uint8_t kModule[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                0x00, 0x05, 0x03, 0x01, 0x00, 0x01};

struct Result {
  double cycles_per_byte = 0;
  double cpu_share = 0;
  std::uint64_t interrupts = 0;
  bool ok = false;
};

enum class Transfer { kUartWrite, kSpiRead };

Result run_async(const std::string& dtb, std::uint32_t bytes, bool dma, Transfer kind) {
  Result out;
  std::string error;
  auto session = BoardSession::open_file(dtb, &error);
  if (!session) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return out;
  }
  sim::SimBoard& board = session->board();
  async::AsyncIo::Options options;
  options.use_dma = dma;
  async::AsyncIo service(board, session->tree().board(), options);
  auto module = Module::load(std::span<const std::uint8_t>(kModule, sizeof kModule));
  if (!module) return out;
  Store store;
  auto instance = store.instantiate(**module, {});
  if (!instance) return out;
  ContainerBinding binding;
  GrantedWindow w;
  w.label = "serial";
  w.address = kUart0;
  w.size = 0x14;
  w.widths = 4;
  binding.windows.push_back(w);
  w.label = "flash_bus";
  w.address = kSpi;
  w.size = 0x28;
  binding.windows.push_back(w);
  auto client = service.client("bench");
  client->bind(binding, session->windows());
  client->set_instance(*instance);
  auto memory = Store::memory_data((*instance)->memory(0));
  if (bytes > memory.size()) return out;
  std::int32_t op = 0;
  std::uint64_t start = 0;
  if (kind == Transfer::kUartWrite) {
    for (std::uint32_t i = 0; i < bytes; ++i) memory[i] = static_cast<std::uint8_t>('a' + i % 26);
    board.write(kUart0 + 0x10, 4, kBaudDiv);
    board.write(kUart0 + 0x08, 4, 1);
    start = board.clock().now();
    op = client->uart_write(0, 0, bytes, 0);
  } else {
    const std::uint8_t read[4] = {0x03, 0, 0, 0};
    for (std::uint32_t i = 0; i < bytes; ++i) memory[i] = i < 4 ? read[i] : 0;
    board.write(kSpi + 0x00, 4, 0x00C7);  // 8-bit frames, mode 3
    board.write(kSpi + 0x10, 4, 2);       // CPSDVSR 2
    board.write(kSpi + 0x04, 4, 2);       // SSE
    start = board.clock().now();
    op = client->spi_transfer(1, 0, 0, bytes, 0);
  }
  if (op <= 0) return out;
  service.run_until_idle(start + std::uint64_t{bytes} * kBaudDiv * 20 + 1'000'000);
  const std::uint64_t elapsed = board.clock().now() - start;
  const async::OpResult r = client->take_result(op);
  out.ok = r.status == async::kDone && r.bytes_done == bytes;
  out.cycles_per_byte = static_cast<double>(elapsed) / bytes;
  out.cpu_share = static_cast<double>(service.host_cycles()) / static_cast<double>(elapsed);
  out.interrupts = service.interrupts_serviced();
  return out;
}

Result run_polled(const std::string& dtb, std::uint32_t bytes) {
  Result out;
  std::string error;
  auto session = BoardSession::open_file(dtb, &error);
  if (!session) return out;
  sim::SimBoard& board = session->board();
  board.write(kUart0 + 0x10, 4, kBaudDiv);
  board.write(kUart0 + 0x08, 4, 1);
  const std::uint64_t start = board.clock().now();
  for (std::uint32_t i = 0; i < bytes; ++i) {
    while ((board.read(kUart0 + 0x04, 4).value & 1) != 0) {
    }
    board.write(kUart0, 4, 'a' + i % 26);
  }
  const std::uint64_t elapsed = board.clock().now() - start;
  auto* uart = board.find_as<sim::CmsdkUart>("uart0");
  board.clock().advance(3ull * 10 * kBaudDiv);
  out.ok = uart != nullptr && uart->transmitted().text().size() == bytes;
  out.cycles_per_byte = static_cast<double>(elapsed) / bytes;
  out.cpu_share = 1.0;  // the loop polls STATE the whole time
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s BOARD.dtb [bytes...]\n", argv[0]);
    return 2;
  }
  std::vector<std::uint32_t> sizes;
  for (int i = 2; i < argc; ++i)
    sizes.push_back(static_cast<std::uint32_t>(std::strtoul(argv[i], nullptr, 10)));
  if (sizes.empty()) sizes = {64, 1024};
  int failures = 0;
  for (std::uint32_t n : sizes) {
    const struct {
      const char* name;
      Result r;
    } rows[] = {{"uart-tx-interrupt", run_async(argv[1], n, false, Transfer::kUartWrite)},
                {"uart-tx-dma", run_async(argv[1], n, true, Transfer::kUartWrite)},
                {"uart-tx-polled", run_polled(argv[1], n)},
                {"spi-interrupt", run_async(argv[1], n, false, Transfer::kSpiRead)},
                {"spi-dma", run_async(argv[1], n, true, Transfer::kSpiRead)}};
    for (const auto& row : rows) {
      if (!row.r.ok) {
        std::fprintf(stderr, "async %s bytes=%u: transfer failed\n", row.name, n);
        ++failures;
        continue;
      }
      std::printf("async %s bytes=%u cycles_per_byte=%.1f cpu_share=%.4f interrupts=%llu\n",
                  row.name, n, row.r.cycles_per_byte, row.r.cpu_share,
                  static_cast<unsigned long long>(row.r.interrupts));
    }
  }
  return failures == 0 ? 0 : 1;
}
