/* MPS2 FPGA I/O block. */
#include "fpgaio.h"

#include <wasmio/driver.h>

#define FPGAIO_LED0 0x00
#define FPGAIO_BUTTON 0x08
#define FPGAIO_CLK1HZ 0x10
#define FPGAIO_COUNTER 0x18
#define FPGAIO_PRESCALE 0x1C
#define FPGAIO_PSCNTR 0x20
#define FPGAIO_WINDOW_SIZE 0x24

/* Exclusive: the user LEDs have one owner, as a Linux LED class device has one driver. */
WASMIO_PERIPHERAL_FLAGS(fpgaio, WASMIO_EXCLUSIVE, "arm,mps2-fpgaio");
/* LED0 and PRESCALE are storage. BUTTON changes by itself; CLK1HZ, CLK100HZ, COUNTER and PSCNTR
 * count by themselves and a write sets them: pushing back a stale copy would reset the count,
 * so they are never shadowed. */
WASMIO_WINDOW(fpgaio, 0, FPGAIO_WINDOW_SIZE, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(FPGAIO_BUTTON, 4),
              WASMIO_VOLATILE(FPGAIO_CLK1HZ, 12),
              WASMIO_VOLATILE(FPGAIO_PSCNTR, 4));

void leds_set(uint32_t mask) {
  const wasmio_window *io = WASMIO_WIN(fpgaio, 0);
  wasmio_write32(io, FPGAIO_LED0, mask);
  wasmio_push(io, FPGAIO_LED0, 4);
}

uint32_t leds_get(void) {
  const wasmio_window *io = WASMIO_WIN(fpgaio, 0);
  wasmio_pull(io, FPGAIO_LED0, 4);
  return wasmio_read32(io, FPGAIO_LED0);
}

uint32_t buttons_get(void) { return wasmio_read32(WASMIO_WIN(fpgaio, 0), FPGAIO_BUTTON); }

uint32_t fpgaio_counter(void) { return wasmio_read32(WASMIO_WIN(fpgaio, 0), FPGAIO_COUNTER); }

void fpgaio_wait_cycles(uint32_t cycles) {
  const uint32_t start = fpgaio_counter();
  while (fpgaio_counter() - start < cycles) {
  }
}
