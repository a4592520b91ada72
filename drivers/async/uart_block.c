/* CMSDK UART block transfers: the driver configures the UART with register accesses and hands
 * whole buffers to the host, which moves them (interrupt-driven or through the board's DMA). */
#include "uart_block.h"

#include <wasmio/async.h>
#include <wasmio/driver.h>

#include "../regs/cmsdk_uart_regs.h"

WASMIO_PERIPHERAL(serial, "arm,cmsdk-uart");
WASMIO_WINDOW(serial, 0, UART_WINDOW_SIZE, WASMIO_ACCESS_32, WASMIO_VOLATILE(UART_DATA, 4),
              WASMIO_VOLATILE(UART_STATE, 4), WASMIO_VOLATILE(UART_INTSTATUS, 4));
WASMIO_PROPERTY(serial, "clock-frequency");
WASMIO_PROPERTY(serial, "current-speed");

int32_t uart_block_init(void) {
  const wasmio_window *uart = WASMIO_WIN(serial, 0);
  const uint32_t clock = wasmio_property_u32("serial", "clock-frequency", 25000000u);
  const uint32_t baud = wasmio_property_u32("serial", "current-speed", 115200u);
  const uint32_t divider = baud != 0 ? clock / baud : 0;
  if (divider < BAUDDIV_MIN || wasmio_window_resolve(uart) < 0) return -1;
  wasmio_write32(uart, UART_BAUDDIV, divider);
  wasmio_write32(uart, UART_CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE);
  /* Copy path: the host's transfers read the device, not the shadow; the divider first. */
  wasmio_push(uart, UART_BAUDDIV, 4);
  wasmio_push(uart, UART_CTRL, 4);
  return 0;
}

int32_t uart_block_write(const void *buf, uint32_t len, uint32_t events) {
  return wasmio_uart_write(wasmio_window_resolve(WASMIO_WIN(serial, 0)), buf, len, events);
}

int32_t uart_block_read(void *buf, uint32_t len, uint32_t events) {
  return wasmio_uart_read(wasmio_window_resolve(WASMIO_WIN(serial, 0)), buf, len, events);
}
