/* wasmio guest interrupt interface (host side: src/sched/irq_host.cpp, model:
 * docs/design/0010-priority-model.md).
 *
 * A driver declares each interrupt with WASMIO_IRQ(label, index, handler, priority, budget,
 * min_interarrival_us) in <wasmio/driver.h>; the scheduler runs `handler` at the Wasm interrupt
 * level (E1/4) for every accepted arrival, most urgent priority first, each activation limited to
 * `budget` fuel units (Wasm instructions). The driver's `main` export is its task (E1).
 *
 *   - A container reaches only its own lines: the line numbers come from WASMIO_IRQ_LINE(handler)
 *     (or wasmio_irq_line(n), the n-th interrupt of the binding). Enabling, disabling or
 *     acknowledging any other line traps the container. There is no global interrupt disable.
 *   - Lines start disabled; the task enables them when the device is ready.
 *   - Handlers and the task share data through the driver's own memory (ring buffers, ...) and
 *     signal with event flags: a handler posts, the task waits. Waiting blocks only this
 *     container's task (the others keep running); handlers never block (it would trap).
 *   - Bit 31 (WASMIO_EVENT_FAULT) is posted by the host when one of the container's handlers
 *     overran its budget or trapped under the "notify" fault policy; the line is then masked
 *     until the task enables it again.
 */
#ifndef WASMIO_IRQ_H
#define WASMIO_IRQ_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMIO_EVENT_FAULT 0x80000000u

#define WASMIO__IRQ_IMPORT(name) __attribute__((import_module("wasmio_irq"), import_name(#name)))

/* The board line of the driver's n-th declared interrupt (binding order), or -1. */
WASMIO__IRQ_IMPORT(line_of) int32_t wasmio_irq_line(uint32_t n);
/* The board line whose handler is the export `name`, or -1; WASMIO_IRQ_LINE(handler) names it. */
WASMIO__IRQ_IMPORT(line_named) int32_t wasmio_irq_line_named(const char *name, uint32_t length);
#define WASMIO_IRQ_LINE(handler) wasmio_irq_line_named(#handler, sizeof(#handler) - 1)
/* Unmask / mask the driver's own line at the interrupt controller. */
WASMIO__IRQ_IMPORT(enable) void wasmio_irq_enable(int32_t line);
WASMIO__IRQ_IMPORT(disable) void wasmio_irq_disable(int32_t line);
/* Drop an arrival latched at the controller for the driver's own line (after clearing the cause
 * at the device); the handler's return completes the line by itself. */
WASMIO__IRQ_IMPORT(acknowledge) void wasmio_irq_acknowledge(int32_t line);

/* Event flags of this container: post from handlers (or the task), wait in the task. */
WASMIO__IRQ_IMPORT(event_post) void wasmio_event_post(uint32_t bits);
/* The flags of `mask` that are set, cleared; blocks the task until one is. Task only. */
WASMIO__IRQ_IMPORT(event_wait) uint32_t wasmio_event_wait(uint32_t mask);
/* Like wasmio_event_wait but returns 0 at once when none is set. */
WASMIO__IRQ_IMPORT(event_poll) uint32_t wasmio_event_poll(uint32_t mask);
/* Periodic tasks (a period given by the deployment): end this job, return at the next release. */
WASMIO__IRQ_IMPORT(wait_period) void wasmio_task_wait_period(void);
/* Platform time in microseconds (virtual time in the simulation). */
WASMIO__IRQ_IMPORT(now_us) int64_t wasmio_now_us(void);

#ifdef __cplusplus
}
#endif

#endif
