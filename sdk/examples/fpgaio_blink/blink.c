/* Blinks LED0: from the timer interrupt when the optional timer is granted (tick.c), else by
 * polling the FPGAIO's 100 Hz counter. */
#include "fpgaio_blink.h"

WASMIO_DRIVER("fpgaio-blink");
/* The LEDs are board state other containers must not change under us. */
WASMIO_PERIPHERAL_FLAGS(leds, WASMIO_EXCLUSIVE, "arm,mps2-fpgaio");
/* BUTTON and the counters change on their own: a shadow would be stale, and pushing a stale
 * CLK1HZ/CLK100HZ/COUNTER back would reset them. LED0 and PRESCALE are plain storage. */
WASMIO_WINDOW(leds, 0, FPGAIO_WINDOW_SIZE, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(FPGAIO_BUTTON, 4),
              WASMIO_VOLATILE(FPGAIO_CLK1HZ, 12),
              WASMIO_VOLATILE(FPGAIO_PSCNTR, 4));

static uint32_t period_centis;
static uint32_t last_toggle;

__attribute__((export_name("start"))) int32_t start(uint32_t period_ms) {
  period_centis = period_ms / 10 ? period_ms / 10 : 1;
  last_toggle = wasmio_read32(WASMIO_WIN(leds, 0), FPGAIO_CLK100HZ);
  return tick_start(period_ms); /* 1: interrupt-driven, 0: poll() needed */
}

/* Polled mode: toggles LED0 when the period has passed; returns the LED state. */
__attribute__((export_name("poll"))) uint32_t poll(void) {
  const wasmio_window *w = WASMIO_WIN(leds, 0);
  const uint32_t now = wasmio_read32(w, FPGAIO_CLK100HZ);
  wasmio_pull(w, FPGAIO_LED0, 4);
  if (now - last_toggle >= period_centis) {
    last_toggle = now;
    wasmio_write32(w, FPGAIO_LED0, wasmio_read32(w, FPGAIO_LED0) ^ 1u);
    wasmio_push(w, FPGAIO_LED0, 4);
  }
  return wasmio_read32(w, FPGAIO_LED0);
}
