/* CMSDK APB timer register map (Arm CMSDK TRM, DDI 0479): offsets and bits, shared by the polled
 * timer driver and the interrupt-driven blink and button drivers. */
#ifndef WASMIO_DRIVERS_CMSDK_TIMER_REGS_H
#define WASMIO_DRIVERS_CMSDK_TIMER_REGS_H

#define TIMER_CTRL 0x00
#define TIMER_VALUE 0x04
#define TIMER_RELOAD 0x08
#define TIMER_INTSTATUS 0x0C /* read: pending; write 1: clear */
#define TIMER_WINDOW_SIZE 0x10

#define CTRL_ENABLE 0x1u
#define CTRL_IRQ_ENABLE 0x8u

#define PCLK_HZ 25000000u /* APB clock of MPS2 AN385 */

#endif
