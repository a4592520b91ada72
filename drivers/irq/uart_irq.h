/* CMSDK APB UART, interrupt-driven: RX and TX ring buffers in the driver's memory, filled and
 * drained by E1/4 handlers; the task reads and writes the rings. */
#ifndef DRIVERS_IRQ_UART_IRQ_H
#define DRIVERS_IRQ_UART_IRQ_H

#include <stdint.h>

#define UART_EVENT_RX 0x1u /* posted by the RX handler when bytes arrived */

/* Programs the divider, enables TX/RX and their interrupts, and unmasks both lines. */
int32_t uart_irq_init(void);
/* Queues bytes for transmission (waits for ring space by blocking on nothing: drops when the
 * ring is full and returns the number queued). */
uint32_t uart_irq_write(const char *bytes, uint32_t length);
uint32_t uart_irq_puts(const char *s);
/* A received byte, or -1 when the RX ring is empty. */
int32_t uart_irq_getc(void);
uint32_t uart_irq_rx_overflows(void);

#endif
