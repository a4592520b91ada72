/* FPGAIO LEDs and buttons, and the button-press handler. The AN385 wires no button interrupt
 * (QEMU's FPGAIO has none either), so presses are found by a debouncing handler on the second
 * CMSDK timer's periodic interrupt: a button counts as pressed after two equal samples. */
#ifndef DRIVERS_IRQ_LEDS_BUTTONS_H
#define DRIVERS_IRQ_LEDS_BUTTONS_H

#include <stdint.h>

#define BUTTON_EVENT 0x2u /* posted when a press was debounced */

void leds_toggle(uint32_t mask);
void leds_write(uint32_t value);
/* Starts sampling every `period_us` and unmasks the sampling timer's line. */
void buttons_start(uint32_t period_us);
/* Buttons pressed since the last call (bit per button), cleared. */
uint32_t buttons_take_presses(void);

#endif
