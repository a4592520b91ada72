/* CMSDK timer with a periodic interrupt: the handler toggles an FPGAIO LED each period. */
#ifndef DRIVERS_IRQ_TIMER_BLINK_H
#define DRIVERS_IRQ_TIMER_BLINK_H

#include <stdint.h>

/* Starts the periodic interrupt (period in microseconds) and unmasks its line. */
void blink_start(uint32_t period_us);
uint32_t blink_ticks(void);

#endif
