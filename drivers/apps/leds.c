/* FPGAIO: walks a light over the user LEDs, then reports the buttons. */
#include <wasmio/driver.h>

#include "../fpgaio/fpgaio.h"

WASMIO_DRIVER("fpgaio-leds");

#define STEP_CYCLES 250000u /* 10 ms at 25 MHz */

__attribute__((export_name("set_leds"))) void set_leds(uint32_t mask) { leds_set(mask); }
__attribute__((export_name("get_leds"))) uint32_t get_leds(void) { return leds_get(); }
__attribute__((export_name("buttons"))) uint32_t buttons(void) { return buttons_get(); }

/* Four steps 01, 10, 11, 00; returns the buttons. */
__attribute__((export_name("main"))) int32_t main_entry(void) {
  static const uint32_t pattern[] = {1u, 2u, 3u, 0u};
  for (uint32_t i = 0; i < 4; ++i) {
    leds_set(pattern[i]);
    fpgaio_wait_cycles(STEP_CYCLES);
  }
  return (int32_t)buttons_get();
}
