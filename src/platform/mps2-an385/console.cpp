#include <cstdint>

#include "platform/mps2-an385/board.h"

namespace wasmio::platform::an385 {
namespace {

struct CmsdkUart {
  volatile std::uint32_t data;      // 0x00
  volatile std::uint32_t state;     // 0x04: bit 0 TX buffer full, bit 1 RX buffer full
  volatile std::uint32_t ctrl;      // 0x08: bit 0 TX enable, bit 1 RX enable
  volatile std::uint32_t intstatus; // 0x0C
  volatile std::uint32_t bauddiv;   // 0x10
};

// The console's UART: UART0 unless console_use_uart moved it (the case study gives UART0 to a
// driver container and keeps the console on UART1).
std::uintptr_t g_console = kUart0;
CmsdkUart& uart0() { return *reinterpret_cast<CmsdkUart*>(g_console); }

constexpr std::uint32_t kStateTxFull = 1u << 0;
constexpr std::uint32_t kStateRxFull = 1u << 1;
constexpr std::uint32_t kCtrlTxEnable = 1u << 0;
constexpr std::uint32_t kCtrlRxEnable = 1u << 1;

}  // namespace

bool console_use_uart(unsigned index) {
  // AN385 application note / QEMU hw/arm/mps2.c: UART0..4.
  constexpr std::uintptr_t kUarts[] = {kUart0, 0x40005000, 0x40006000, 0x40007000, 0x40009000};
  if (index >= sizeof kUarts / sizeof kUarts[0]) return false;
  g_console = kUarts[index];
  return true;
}

void console_init() {
  uart0().bauddiv = 16;  // the smallest legal divider; QEMU's model has no baud timing
  uart0().ctrl = kCtrlTxEnable | kCtrlRxEnable;
}

void console_write(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      while (uart0().state & kStateTxFull) {
      }
      uart0().data = '\r';
    }
    while (uart0().state & kStateTxFull) {
    }
    uart0().data = static_cast<std::uint8_t>(data[i]);
  }
}

int console_read_byte() {
  if ((uart0().state & kStateRxFull) == 0) return -1;
  return static_cast<int>(uart0().data & 0xFF);
}

void console_write(const char* text) {
  std::size_t n = 0;
  while (text[n] != '\0') ++n;
  console_write(text, n);
}

}  // namespace wasmio::platform::an385
