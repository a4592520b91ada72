/* Interrupt-driven demo: UART echo through RX/TX rings, an LED blinking from a timer interrupt,
 * button presses from a debouncing handler. The task (main) sleeps in wasmio_event_wait between
 * events; everything else happens in E1/4 handlers. */
#include <wasmio/driver.h>
#include <wasmio/irq.h>

#include "leds_buttons.h"
#include "timer_blink.h"
#include "uart_irq.h"

WASMIO_DRIVER("irq-demo");

static void put_decimal(uint32_t v) {
  char digits[10];
  uint32_t n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  char out[10];
  for (uint32_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  uart_irq_write(out, n);
}

__attribute__((export_name("main"))) void main_entry(void) {
  if (uart_irq_init() != 0) return;
  uart_irq_puts("wasmio irq demo: type to echo; LED0 blinks from timer0's interrupt\r\n");
  blink_start(100000);  /* 100 ms */
  buttons_start(10000); /* sample buttons every 10 ms */
  for (;;) {
    const uint32_t events = wasmio_event_wait(UART_EVENT_RX | BUTTON_EVENT | WASMIO_EVENT_FAULT);
    if (events & UART_EVENT_RX) {
      char line[32];
      uint32_t n = 0;
      int32_t c;
      while (n < sizeof line && (c = uart_irq_getc()) >= 0) line[n++] = (char)c;
      uart_irq_write(line, n);
    }
    if (events & BUTTON_EVENT) {
      const uint32_t pressed = buttons_take_presses();
      for (uint32_t b = 0; b < 2; ++b) {
        if (pressed & (1u << b)) {
          uart_irq_puts("\r\n[button ");
          put_decimal(b);
          uart_irq_puts(" pressed after ");
          put_decimal(blink_ticks());
          uart_irq_puts(" blinks]\r\n");
        }
      }
    }
    if (events & WASMIO_EVENT_FAULT) uart_irq_puts("\r\n[a handler overran its budget]\r\n");
  }
}
