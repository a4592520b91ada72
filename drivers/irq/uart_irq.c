/* CMSDK APB UART, interrupt-driven (the polled driver is drivers/cmsdk_uart). */
#include "uart_irq.h"

#include <wasmio/driver.h>
#include <wasmio/irq.h>

#include "../regs/cmsdk_uart_regs.h"

#define RING_SIZE 128u /* a power of two: indices wrap by masking */

WASMIO_PERIPHERAL(serial, "arm,cmsdk-uart");
WASMIO_WINDOW(serial, 0, UART_WINDOW_SIZE, WASMIO_ACCESS_32,
              WASMIO_VOLATILE(UART_DATA, 4),
              WASMIO_VOLATILE(UART_STATE, 4),
              WASMIO_VOLATILE(UART_INTSTATUS, 4));
WASMIO_PROPERTY(serial, "clock-frequency");
WASMIO_PROPERTY(serial, "current-speed");

/* Single producer, single consumer: the handler owns one index, the task the other, so neither
 * side needs to mask the other (there is no global interrupt disable for guests). */
typedef struct {
  volatile uint32_t head; /* written by the producer */
  volatile uint32_t tail; /* written by the consumer */
  uint8_t bytes[RING_SIZE];
} ring;

static ring rx, tx;
static volatile uint32_t tx_busy; /* a byte is on the wire; the TX interrupt sends the next */
static volatile uint32_t rx_overflows;
static int32_t rx_line = -1, tx_line = -1; /* looked up once: handler budgets are small */

static int ring_put(ring *r, uint8_t b) {
  if (r->head - r->tail == RING_SIZE) return 0;
  r->bytes[r->head & (RING_SIZE - 1)] = b;
  r->head = r->head + 1;
  return 1;
}

static int ring_get(ring *r) {
  if (r->head == r->tail) return -1;
  const uint8_t b = r->bytes[r->tail & (RING_SIZE - 1)];
  r->tail = r->tail + 1;
  return b;
}

/* Interrupt 0 of the node is RX, 1 is TX (AN385: UART0 RX = line 0, TX = line 1). */
WASMIO_IRQ(serial, 0, uart_rx_irq, 1, 600, 20) {
  const wasmio_window *u = WASMIO_WIN(serial, 0);
  wasmio_write32(u, UART_INTSTATUS, INT_RX);
  wasmio_irq_acknowledge(rx_line); /* the arrival the NVIC latched while masked */
  while (wasmio_read32(u, UART_STATE) & STATE_RX_FULL) {
    if (!ring_put(&rx, (uint8_t)wasmio_read32(u, UART_DATA))) rx_overflows = rx_overflows + 1;
  }
  wasmio_event_post(UART_EVENT_RX);
}

WASMIO_IRQ(serial, 1, uart_tx_irq, 2, 300, 20) {
  const wasmio_window *u = WASMIO_WIN(serial, 0);
  wasmio_write32(u, UART_INTSTATUS, INT_TX);
  wasmio_irq_acknowledge(tx_line);
  const int b = ring_get(&tx);
  if (b < 0) {
    tx_busy = 0;
  } else {
    wasmio_write32(u, UART_DATA, (uint32_t)b);
  }
}

int32_t uart_irq_init(void) {
  const wasmio_window *u = WASMIO_WIN(serial, 0);
  const uint32_t clock = wasmio_property_u32("serial", "clock-frequency", 25000000u);
  const uint32_t baud = wasmio_property_u32("serial", "current-speed", 115200u);
  const uint32_t divider = baud != 0 ? clock / baud : 0;
  if (divider < 16) return -1;
  wasmio_write32(u, UART_BAUDDIV, divider);
  wasmio_write32(u, UART_INTSTATUS, INT_TX | INT_RX);
  wasmio_write32(u, UART_CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE | CTRL_TX_INT | CTRL_RX_INT);
  rx_line = WASMIO_IRQ_LINE(uart_rx_irq);
  tx_line = WASMIO_IRQ_LINE(uart_tx_irq);
  wasmio_irq_enable(rx_line);
  wasmio_irq_enable(tx_line);
  return 0;
}

uint32_t uart_irq_write(const char *bytes, uint32_t length) {
  uint32_t queued = 0;
  while (queued < length && ring_put(&tx, (uint8_t)bytes[queued])) ++queued;
  if (!tx_busy) {
    const int b = ring_get(&tx);
    if (b >= 0) {
      tx_busy = 1;  /* before the write: its TX interrupt may come at once */
      wasmio_write32(WASMIO_WIN(serial, 0), UART_DATA, (uint32_t)b);
    }
  }
  return queued;
}

uint32_t uart_irq_puts(const char *s) {
  uint32_t n = 0;
  while (s[n] != 0) ++n;
  return uart_irq_write(s, n);
}

int32_t uart_irq_getc(void) { return ring_get(&rx); }

uint32_t uart_irq_rx_overflows(void) { return rx_overflows; }
