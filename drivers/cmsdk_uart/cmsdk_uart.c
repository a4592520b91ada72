/* CMSDK APB UART, polled. */
#include "cmsdk_uart.h"

#include <wasmio/driver.h>

#include "../regs/cmsdk_uart_regs.h"

WASMIO_PERIPHERAL(console, "arm,cmsdk-uart");
/* DATA pops the RX buffer on read and transmits on write; STATE's overrun bits and INTSTATUS are
 * write-1-to-clear: never shadowed. CTRL and BAUDDIV are plain storage. */
WASMIO_WINDOW(console, 0, UART_WINDOW_SIZE, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(UART_DATA, 4),
              WASMIO_VOLATILE(UART_STATE, 4),
              WASMIO_VOLATILE(UART_INTSTATUS, 4));
WASMIO_PROPERTY(console, "clock-frequency");
WASMIO_PROPERTY(console, "current-speed");

static uint32_t bytes_written;

int32_t uart_init(void) {
  const wasmio_window *uart = WASMIO_WIN(console, 0);
  const uint32_t clock = wasmio_property_u32("console", "clock-frequency", 25000000u);
  const uint32_t baud = wasmio_property_u32("console", "current-speed", 115200u);
  const uint32_t divider = baud != 0 ? clock / baud : 0;
  if (divider < BAUDDIV_MIN) return -1;
  wasmio_pull(uart, 0, UART_WINDOW_SIZE);
  wasmio_write32(uart, UART_BAUDDIV, divider);
  wasmio_write32(uart, UART_CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE);
  wasmio_push(uart, 0, UART_WINDOW_SIZE);
  bytes_written = 0;
  return 0;
}

void uart_putc(char c) {
  const wasmio_window *uart = WASMIO_WIN(console, 0);
  while (wasmio_read32(uart, UART_STATE) & STATE_TX_FULL) {
  }
  wasmio_write32(uart, UART_DATA, (uint8_t)c);
  ++bytes_written;
}

void uart_puts(const char *s) {
  while (*s != 0) uart_putc(*s++);
}

void uart_put_decimal(int32_t value, uint32_t frac_digits) {
  char digits[12];
  uint32_t magnitude = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
  uint32_t n = 0;
  if (value < 0) uart_putc('-');
  do {
    digits[n++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0 || n <= frac_digits);
  while (n > 0) {
    if (n == frac_digits) uart_putc('.');
    uart_putc(digits[--n]);
  }
}

int32_t uart_getc(void) {
  const wasmio_window *uart = WASMIO_WIN(console, 0);
  if ((wasmio_read32(uart, UART_STATE) & STATE_RX_FULL) == 0) return -1;
  return (int32_t)(wasmio_read32(uart, UART_DATA) & 0xFFu);
}

uint32_t uart_bytes_written(void) { return bytes_written; }
