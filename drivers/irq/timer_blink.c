/* CMSDK APB timer in periodic mode: RELOAD = the period, the interrupt at each wrap. */
#include "timer_blink.h"

#include <wasmio/driver.h>
#include <wasmio/irq.h>

#include "../regs/cmsdk_timer_regs.h"

#include "leds_buttons.h"

WASMIO_PERIPHERAL(blink_timer, "arm,cmsdk-timer");
WASMIO_WINDOW(blink_timer, 0, 0x10, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(TIMER_VALUE, 4),
              WASMIO_VOLATILE(TIMER_INTSTATUS, 4));

static volatile uint32_t ticks;
static int32_t blink_line = -1; /* looked up once: a handler's fuel budget is small */

/* At most one period's worth of arrivals: 50 ms minimum inter-arrival for a 100 ms blink. */
WASMIO_IRQ(blink_timer, 0, blink_timer_irq, 4, 200, 50000) {
  wasmio_write32(WASMIO_WIN(blink_timer, 0), TIMER_INTSTATUS, 1);
  /* The NVIC latched the level while the line was masked: drop that arrival (on silicon and
   * QEMU the E0 exception returned with the timer still asserting). */
  wasmio_irq_acknowledge(blink_line);
  ticks = ticks + 1;
  leds_toggle(0x1u);
}

void blink_start(uint32_t period_us) {
  const wasmio_window *t = WASMIO_WIN(blink_timer, 0);
  wasmio_write32(t, TIMER_CTRL, 0);
  wasmio_write32(t, TIMER_INTSTATUS, 1);
  wasmio_write32(t, TIMER_RELOAD, period_us * (PCLK_HZ / 1000000u));
  wasmio_write32(t, TIMER_CTRL, CTRL_ENABLE | CTRL_IRQ_ENABLE);
  blink_line = WASMIO_IRQ_LINE(blink_timer_irq);
  wasmio_irq_enable(blink_line);
}

uint32_t blink_ticks(void) { return ticks; }
