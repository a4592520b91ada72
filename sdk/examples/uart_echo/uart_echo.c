/*
 * Example driver: echoes every byte received on a CMSDK APB UART (Arm CMSDK TRM; on the MPS2
 * AN385 at 0x40004000). One source, built for each access path by examples/CMakeLists.txt.
 */
#include <wasmio/driver.h>

/* Register offsets (macros, not enums: the manifest macros paste them into assembler text). */
#define UART_DATA 0x00
#define UART_STATE 0x04
#define UART_CTRL 0x08
#define UART_INTSTATUS 0x0C /* read: pending interrupts; write 1: clear (INTCLEAR) */
#define UART_BAUDDIV 0x10
#define UART_WINDOW_SIZE 0x14

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_ENABLE 0x1u
#define CTRL_RX_ENABLE 0x2u
#define CTRL_RX_INTERRUPT 0x8u

#define BAUD_RATE 115200u

WASMIO_DRIVER("cmsdk-uart-echo");
WASMIO_PERIPHERAL(console, "arm,cmsdk-uart");
/* DATA pops the receive buffer when read and sends when written, STATE's overrun bits and
 * INTSTATUS are write-1-to-clear: writing back a pulled copy would clear events the driver has
 * not seen. Only CTRL and BAUDDIV are plain storage and may be shadowed. */
WASMIO_WINDOW(console, 0, UART_WINDOW_SIZE, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(UART_DATA, 4),
              WASMIO_VOLATILE(UART_STATE, 4),
              WASMIO_VOLATILE(UART_INTSTATUS, 4));
WASMIO_PROPERTY(console, "clock-frequency");
/* RX interrupt: at 115200 baud a byte arrives at most every ~87 us. */
WASMIO_IRQ(console, 0, on_console_irq, 2, 20000, 80);

static uint32_t dropped_bytes;

__attribute__((export_name("init"))) int32_t init(void) {
  const wasmio_window *uart = WASMIO_WIN(console, 0);
  const uint32_t clock = wasmio_property_u32("console", "clock-frequency", 25000000u);
  const uint32_t divider = clock / BAUD_RATE;
  if (divider < 16) return -1; /* the CMSDK UART needs BAUDDIV >= 16 */
  wasmio_write32(uart, UART_BAUDDIV, divider);
  wasmio_write32(uart, UART_CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE | CTRL_RX_INTERRUPT);
  /* A push writes in ascending offsets; the divider must be set before the UART is enabled. */
  wasmio_push(uart, UART_BAUDDIV, 4);
  wasmio_push(uart, UART_CTRL, 4);
  return 0;
}

void on_console_irq(void) {
  const wasmio_window *uart = WASMIO_WIN(console, 0);
  wasmio_write32(uart, UART_INTSTATUS, wasmio_read32(uart, UART_INTSTATUS));
  while (wasmio_read32(uart, UART_STATE) & STATE_RX_FULL) {
    const uint32_t byte = wasmio_read32(uart, UART_DATA) & 0xFFu;
    if (wasmio_read32(uart, UART_STATE) & STATE_TX_FULL) {
      ++dropped_bytes; /* never spin in an interrupt handler: its budget is bounded */
      continue;
    }
    wasmio_write32(uart, UART_DATA, byte);
  }
}

__attribute__((export_name("dropped"))) uint32_t dropped(void) { return dropped_bytes; }
