/* The optional CMSDK timer (Arm CMSDK TRM): periodic interrupt that toggles LED0. */
#include "fpgaio_blink.h"

#define TIMER_CTRL 0x00
#define TIMER_VALUE 0x04
#define TIMER_RELOAD 0x08
#define TIMER_INTSTATUS 0x0C /* write 1: clear */
#define TIMER_CTRL_ENABLE 0x1u
#define TIMER_CTRL_IRQ_ENABLE 0x8u
#define TIMER_CLOCK_HZ 25000000u /* AN385 APB clock */

WASMIO_PERIPHERAL_FLAGS(tick, WASMIO_OPTIONAL, "arm,cmsdk-timer");
/* VALUE counts down by itself; INTSTATUS is write-1-to-clear. */
WASMIO_WINDOW(tick, 0, 0x10, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(TIMER_VALUE, 4),
              WASMIO_VOLATILE(TIMER_INTSTATUS, 4));
/* At most one interrupt per 10 ms period; the handler does three register accesses. */
WASMIO_IRQ(tick, 0, on_tick, 3, 2000, 10000);

int tick_start(uint32_t period_ms) {
  const wasmio_window *t = WASMIO_WIN(tick, 0);
  if (!wasmio_window_present(t) || period_ms < 10) return 0;
  if (period_ms > UINT32_MAX / (TIMER_CLOCK_HZ / 1000u)) return 0; /* beyond the 32-bit reload */
  wasmio_write32(t, TIMER_RELOAD, period_ms * (TIMER_CLOCK_HZ / 1000u));
  wasmio_write32(t, TIMER_CTRL, TIMER_CTRL_ENABLE | TIMER_CTRL_IRQ_ENABLE);
  /* Reload before enable (a push writes in ascending offsets, so push them one by one). */
  wasmio_push(t, TIMER_RELOAD, 4);
  wasmio_push(t, TIMER_CTRL, 4);
  return 1;
}

void on_tick(void) {
  const wasmio_window *leds = WASMIO_WIN(leds, 0);
  wasmio_write32(WASMIO_WIN(tick, 0), TIMER_INTSTATUS, 1u);
  wasmio_pull(leds, FPGAIO_LED0, 4);
  wasmio_write32(leds, FPGAIO_LED0, wasmio_read32(leds, FPGAIO_LED0) ^ 1u);
  wasmio_push(leds, FPGAIO_LED0, 4);
}
