#include "leds_buttons.h"

#include <wasmio/driver.h>
#include <wasmio/irq.h>

#include "../regs/cmsdk_timer_regs.h"

#define FPGAIO_LED0 0x00
#define FPGAIO_BUTTON 0x08

WASMIO_PERIPHERAL(board_io, "arm,mps2-fpgaio");
WASMIO_WINDOW(board_io, 0, 0x0C, WASMIO_ACCESS_32, WASMIO_VOLATILE(FPGAIO_BUTTON, 4));
WASMIO_PERIPHERAL(button_timer, "arm,cmsdk-timer");
WASMIO_WINDOW(button_timer, 0, 0x10, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(TIMER_VALUE, 4),
              WASMIO_VOLATILE(TIMER_INTSTATUS, 4));

static volatile uint32_t led_state;
static uint32_t last_sample, stable;
static volatile uint32_t presses;

void leds_write(uint32_t value) {
  led_state = value;
  wasmio_write32(WASMIO_WIN(board_io, 0), FPGAIO_LED0, value);
}

void leds_toggle(uint32_t mask) { leds_write(led_state ^ mask); }

/* The button-press handler: sample, debounce, post presses to the task. */
static int32_t button_line = -1; /* looked up once: a handler's fuel budget is small */

WASMIO_IRQ(button_timer, 0, button_irq, 5, 200, 5000) {
  wasmio_write32(WASMIO_WIN(button_timer, 0), TIMER_INTSTATUS, 1);
  wasmio_irq_acknowledge(button_line); /* the arrival the NVIC latched while masked */
  const uint32_t sample = wasmio_read32(WASMIO_WIN(board_io, 0), FPGAIO_BUTTON);
  if (sample == last_sample) {
    const uint32_t pressed_now = sample & ~stable;
    stable = sample;
    if (pressed_now != 0) {
      presses = presses | pressed_now;
      wasmio_event_post(BUTTON_EVENT);
    }
  }
  last_sample = sample;
}

void buttons_start(uint32_t period_us) {
  const wasmio_window *t = WASMIO_WIN(button_timer, 0);
  wasmio_write32(t, TIMER_CTRL, 0);
  wasmio_write32(t, TIMER_INTSTATUS, 1);
  wasmio_write32(t, TIMER_RELOAD, period_us * (PCLK_HZ / 1000000u));
  wasmio_write32(t, TIMER_CTRL, 0x9u); /* enable + interrupt enable */
  button_line = WASMIO_IRQ_LINE(button_irq);
  wasmio_irq_enable(button_line);
}

uint32_t buttons_take_presses(void) {
  const uint32_t p = presses;
  presses = presses & ~p;
  return p;
}
