/* CMSDK APB timer, polled: one-shot delays on INTSTATUS (interrupt enabled in the timer, not
 * taken: the container polls). */
#include "cmsdk_timer.h"

#include <wasmio/driver.h>

#include "../regs/cmsdk_timer_regs.h"

WASMIO_PERIPHERAL(timer, "arm,cmsdk-timer");
/* VALUE counts by itself (a pushed copy would rewind it); INTSTATUS is write-1-to-clear. */
WASMIO_WINDOW(timer, 0, TIMER_WINDOW_SIZE, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(TIMER_VALUE, 4),
              WASMIO_VOLATILE(TIMER_INTSTATUS, 4));

uint32_t timer_delay_us(uint32_t us) {
  const wasmio_window *t = WASMIO_WIN(timer, 0);
  uint32_t ticks = us * (CMSDK_TIMER_PCLK_HZ / 1000000u);
  uint32_t polls = 0;
  if (ticks == 0) ticks = 1;
  wasmio_write32(t, TIMER_CTRL, 0);
  wasmio_push(t, TIMER_CTRL, 4);
  wasmio_write32(t, TIMER_INTSTATUS, 1); /* drop a stale expiry */
  wasmio_write32(t, TIMER_RELOAD, ticks); /* also loads VALUE */
  wasmio_push(t, TIMER_RELOAD, 4);
  wasmio_write32(t, TIMER_CTRL, CTRL_ENABLE | CTRL_IRQ_ENABLE);
  wasmio_push(t, TIMER_CTRL, 4);
  do {
    ++polls;
  } while ((wasmio_read32(t, TIMER_INTSTATUS) & 1u) == 0);
  wasmio_write32(t, TIMER_CTRL, 0);
  wasmio_push(t, TIMER_CTRL, 4);
  wasmio_write32(t, TIMER_INTSTATUS, 1);
  return polls;
}
