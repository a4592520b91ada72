/* MPS2 FPGA I/O block: user LEDs, user buttons and the prescaled counter (AN385). */
#ifndef DRIVERS_FPGAIO_H
#define DRIVERS_FPGAIO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void leds_set(uint32_t mask);
uint32_t leds_get(void);
uint32_t buttons_get(void); /* 1 bit per button, 1 = pressed */
/* COUNTER with PRESCALE 0: board clock cycles (25 MHz), wrapping. */
uint32_t fpgaio_counter(void);
/* Busy-waits `cycles` board clock cycles on COUNTER. */
void fpgaio_wait_cycles(uint32_t cycles);

#ifdef __cplusplus
}
#endif

#endif
