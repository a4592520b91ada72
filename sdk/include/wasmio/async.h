/*
 * wasmio guest SDK: split-phase (asynchronous) transfers on buffers in the driver's own memory
 * (host side: src/io/async, design: docs/design/0012-async-io.md). Imports of module
 * "wasmio_async"; the manifest format is unchanged (the windows are the ones WASMIO_WINDOW
 * declares, and the host refuses any other).
 *
 *   int32_t uart = wasmio_window_resolve(WASMIO_WIN(uart, 0));      (<wasmio/driver.h>)
 *   int32_t op = wasmio_uart_write(uart, buf, len, EV_TX_DONE);
 *   ...  (do other work; do not touch buf)
 *   uint32_t ev = wasmio_event_wait(EV_TX_DONE);          (task level, <wasmio/irq.h>)
 *   uint32_t done;
 *   int32_t status = wasmio_async_result(op, &done);       (WASMIO_ASYNC_DONE or an error)
 *
 * Rules (as Tock's split-phase buffers, Zephyr's async UART/SPI):
 *  - A started transfer LENDS its buffers to the host until it ends: the guest must neither read
 *    nor write them (their contents are undefined while it runs) and must not start another
 *    transfer on overlapping bytes (refused with WASMIO_ASYNC_OVERLAP).
 *  - The buffers are handed back when it completes, when it fails (the status says why, `done`
 *    says how many bytes were moved) and when it is cancelled. wasmio_async_result returns
 *    WASMIO_ASYNC_RUNNING while the transfer runs; afterwards it returns the final status once
 *    and frees the operation id.
 *  - Completion posts the `events` bits to the container's task (0: none; poll instead).
 *  - Completion at the interrupt level: with WASMIO_ASYNC_IRQ in `events` the end of the
 *    transfer (done, failed or cancelled) also runs the driver's completion handler at the Wasm
 *    interrupt level, with the budget and priority the deployment gives it like any device
 *    handler (an overrun goes to the container's fault policy):
 *
 *      WASMIO_ASYNC_HANDLER(on_transfer_done) {
 *        int32_t op;
 *        while ((op = wasmio_async_completed()) != 0) {     (drain: raises may coalesce)
 *          uint32_t done;
 *          int32_t status = wasmio_async_result(op, &done);
 *          ...
 *        }
 *      }
 *
 *    The task enables the handler's line first (wasmio_async_irq_enable(); lines start
 *    disabled; completions meanwhile stay pending). WASMIO_ASYNC_IRQ and task bits may be
 *    combined; a driver may use both levels. Without the
 *    handler exported, starts asking for WASMIO_ASYNC_IRQ are refused (WASMIO_ASYNC_INVALID).
 *  - Memory may grow while a transfer runs: the host keeps guest offsets, never pointers.
 *  - Starting never traps: bad windows, buffers outside memory, overlapping buffers, a busy
 *    device or too many operations (4 per container by default) give a negative status and
 *    nothing is lent.
 *  - Stopping, restarting or removing the container cancels its transfers and leaves the
 *    devices quiescent.
 *
 * The driver configures the device first (UART BAUDDIV and TX/RX enables; PL022 CR0, CPSR, SSE
 * and the chip select; nothing for the SBCon). While a transfer runs the host owns the device's
 * interrupt enables of that direction (UART CTRL bits, PL022 IMSC) and restores them after.
 */
#ifndef WASMIO_ASYNC_H
#define WASMIO_ASYNC_H

#include <stdint.h>

#include <wasmio/irq.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMIO_ASYNC_DONE 0
#define WASMIO_ASYNC_RUNNING 1
#define WASMIO_ASYNC_BAD_HANDLE (-1)     /* not a window this container was granted */
#define WASMIO_ASYNC_UNSUPPORTED (-2)    /* the window's device has no such transfer */
#define WASMIO_ASYNC_OUTSIDE_MEMORY (-3) /* a buffer is not inside linear memory */
#define WASMIO_ASYNC_OVERLAP (-4)        /* a buffer overlaps one lent to a running transfer */
#define WASMIO_ASYNC_TOO_MANY (-5)       /* every operation slot is in use (take results) */
#define WASMIO_ASYNC_BUSY (-6)           /* the device runs a transfer in that direction */
#define WASMIO_ASYNC_INVALID (-7)        /* zero length, bad address, device not enabled, ... */
#define WASMIO_ASYNC_DEVICE_ERROR (-8)   /* I2C NACK, UART RX overrun, SPI RX overrun */
#define WASMIO_ASYNC_BUS_ERROR (-9)      /* DMA error response */
#define WASMIO_ASYNC_CANCELLED (-10)
#define WASMIO_ASYNC_UNKNOWN_OP (-11)    /* never started, or its result was already taken */

/* `events` bit: also run the completion handler (never posted to the task). */
#define WASMIO_ASYNC_IRQ 0x80000000u
/* Defines the completion handler: run at the interrupt level when a WASMIO_ASYNC_IRQ transfer
 * ends (on its own line, one per container, which the host picks). */
#define WASMIO_ASYNC_HANDLER(fn) __attribute__((export_name("wasmio_async_irq"))) void fn(void)
/* Its line starts disabled, as every line: the task enables it once it is ready. */
static inline void wasmio_async_irq_enable(void) {
  wasmio_irq_enable(wasmio_irq_line_named("wasmio_async_irq", 16));
}

#define WASMIO__ASYNC_IMPORT(name) __attribute__((import_module("wasmio_async"), import_name(#name)))

/* Start: an operation id (> 0) or a negative status. `window` is a window handle of module
 * "wasmio": wasmio_window_resolve(WASMIO_WIN(label, index)). */
WASMIO__ASYNC_IMPORT(uart_write)
int32_t wasmio_uart_write(int32_t window, const void *buf, uint32_t len, uint32_t events);
WASMIO__ASYNC_IMPORT(uart_read)
int32_t wasmio_uart_read(int32_t window, void *buf, uint32_t len, uint32_t events);
/* Full duplex: len bytes out of tx and into rx (tx == rx: in place). Frames wider than 8 bits
 * take two bytes each, little endian. */
WASMIO__ASYNC_IMPORT(spi_transfer)
int32_t wasmio_spi_transfer(int32_t window, const void *tx, void *rx, uint32_t len,
                            uint32_t events);
/* START, address+W, wr_len bytes, repeated START, address+R, rd_len bytes, STOP (either length
 * may be 0). `done` counts acknowledged written bytes plus read bytes. */
WASMIO__ASYNC_IMPORT(i2c_transfer)
int32_t wasmio_i2c_transfer(int32_t window, uint32_t address, const void *wr, uint32_t wr_len,
                            void *rd, uint32_t rd_len, uint32_t events);

/* WASMIO_ASYNC_RUNNING, or the final status (then *done = bytes moved and the id is freed). */
WASMIO__ASYNC_IMPORT(result) int32_t wasmio_async_result(int32_t op, uint32_t *done);
/* Cancel a running transfer (its result becomes WASMIO_ASYNC_CANCELLED with the bytes done);
 * WASMIO_ASYNC_DONE also when it had already ended (the result is then unchanged). */
WASMIO__ASYNC_IMPORT(cancel) int32_t wasmio_async_cancel(int32_t op);
/* In the completion handler: the next WASMIO_ASYNC_IRQ operation that ended (in the order they
 * ended, each once), or 0 when none is left. Take its result with wasmio_async_result. */
WASMIO__ASYNC_IMPORT(completed) int32_t wasmio_async_completed(void);

#ifdef __cplusplus
}
#endif

#endif
