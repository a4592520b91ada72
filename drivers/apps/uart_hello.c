/* Polled CMSDK UART: prints a greeting; main returns the bytes written (or -1). */
#include <wasmio/driver.h>

#include "../cmsdk_uart/cmsdk_uart.h"

WASMIO_DRIVER("uart-hello");

__attribute__((export_name("main"))) int32_t main_entry(void) {
  if (uart_init() != 0) return -1;
  uart_puts("hello from a wasm driver\r\n");
  return (int32_t)uart_bytes_written();
}

/* Echoes received bytes until none is waiting; returns how many. */
__attribute__((export_name("echo"))) int32_t echo(void) {
  int32_t n = 0;
  for (int32_t c = uart_getc(); c >= 0; c = uart_getc(), ++n) uart_putc((char)c);
  return n;
}
