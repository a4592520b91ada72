/* CMSDK APB timer, polled (Arm DDI0479; on the MPS2 AN385 TIMER0 is at 0x40000000). */
#ifndef DRIVERS_CMSDK_TIMER_H
#define DRIVERS_CMSDK_TIMER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The timer counts PCLK: 25 MHz on AN385 (the node names its clock by phandle only). */
#define CMSDK_TIMER_PCLK_HZ 25000000u

/* Runs the timer once for `us` microseconds and polls until it expires; returns the number of
 * status polls it took (> 0). */
uint32_t timer_delay_us(uint32_t us);

#ifdef __cplusplus
}
#endif

#endif
