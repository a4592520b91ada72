/* Example driver in two files: each file declares the peripheral whose registers it touches;
 * the linker concatenates both files' manifest records into one section. */
#ifndef FPGAIO_BLINK_H
#define FPGAIO_BLINK_H

#include <wasmio/driver.h>

/* MPS2 FPGAIO registers (AN385 application note; QEMU hw/misc/mps2-fpgaio.c). */
#define FPGAIO_LED0 0x00
#define FPGAIO_BUTTON 0x08
#define FPGAIO_CLK1HZ 0x10
#define FPGAIO_CLK100HZ 0x14
#define FPGAIO_COUNTER 0x18
#define FPGAIO_PRESCALE 0x1C
#define FPGAIO_PSCNTR 0x20
#define FPGAIO_WINDOW_SIZE 0x24

WASMIO_EXTERN_WINDOW(leds, 0);

/* tick.c: a periodic timer interrupt when the board grants one. */
int tick_start(uint32_t period_ms);

#endif
