/* CMSDK timer0 as a millisecond clock: its interrupt counts ticks; exports clock.ticks 1.0. */
#include <wasmio/driver.h>
#include <wasmio/irq.h>
#include <wasmio/service.h>

#include "../../drivers/regs/cmsdk_timer_regs.h"
#include "casestudy.h"

WASMIO_DRIVER("tick-timer");
WASMIO_PERIPHERAL_FLAGS(timer, WASMIO_EXCLUSIVE, "arm,cmsdk-timer");
WASMIO_WINDOW(timer, 0, TIMER_WINDOW_SIZE, WASMIO_ACCESS_32, WASMIO_VOLATILE(TIMER_VALUE, 4),
              WASMIO_VOLATILE(TIMER_INTSTATUS, 4));

static volatile uint32_t ticks;
static uint8_t message[4];

WASMIO_IRQ(timer, 0, tick_irq, 0, 200, 900) {
  wasmio_write32(WASMIO_WIN(timer, 0), TIMER_INTSTATUS, 1);
  ticks = ticks + 1;
}

WASMIO_SERVICE_PROVIDE(SVC_TICKS, 1, 0, on_ticks, 200, 0, 4) {
  (void)request_length;
  if (op != TICKS_OP_NOW) return -2;
  const uint32_t now = ticks;
  cs_copy(message, &now, 4);
  return 4;
}

__attribute__((export_name("main"))) void timer_main(void) {
  const wasmio_window *t = WASMIO_WIN(timer, 0);
  wasmio_write32(t, TIMER_RELOAD, PCLK_HZ / 1000u - 1u);
  wasmio_write32(t, TIMER_VALUE, PCLK_HZ / 1000u - 1u);
  wasmio_write32(t, TIMER_CTRL, CTRL_ENABLE | CTRL_IRQ_ENABLE);
  wasmio_irq_enable(WASMIO_IRQ_LINE(tick_irq));
  wasmio_service_ready(SVC_TICKS, SVC_LEN(SVC_TICKS), message, sizeof message);
}
