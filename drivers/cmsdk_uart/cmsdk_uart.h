/* CMSDK APB UART, polled (Arm DDI0479; on the MPS2 AN385 UART0 is at 0x40004000). */
#ifndef DRIVERS_CMSDK_UART_H
#define DRIVERS_CMSDK_UART_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Programs BAUDDIV from the node's clock-frequency and current-speed and enables TX and RX.
 * Returns 0, or -1 when the divider would be below the UART's minimum of 16. */
int32_t uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
/* Signed decimal; `frac_digits` > 0 prints value / 10^frac_digits with that many decimals. */
void uart_put_decimal(int32_t value, uint32_t frac_digits);
/* The received byte, or -1 when none is waiting. */
int32_t uart_getc(void);
/* Bytes written since uart_init. */
uint32_t uart_bytes_written(void);

#ifdef __cplusplus
}
#endif

#endif
