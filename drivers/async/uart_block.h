/* CMSDK UART block transfers through the async I/O service (<wasmio/async.h>). */
#ifndef WASMIO_DRIVERS_ASYNC_UART_BLOCK_H
#define WASMIO_DRIVERS_ASYNC_UART_BLOCK_H

#include <stdint.h>

/* BAUDDIV from clock-frequency / current-speed, TX and RX enabled; 0 or -1. */
int32_t uart_block_init(void);
/* Start a block write / read: an op id or a negative WASMIO_ASYNC_* status. */
int32_t uart_block_write(const void *buf, uint32_t len, uint32_t events);
int32_t uart_block_read(void *buf, uint32_t len, uint32_t events);

#endif
