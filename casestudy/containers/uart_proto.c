/* UART protocol driver: NMEA-style frames "$<payload>*<xor checksum, 2 hex>\r\n" on CMSDK
 * UART0, interrupt-driven in both directions (RX and TX rings filled/drained by the handlers).
 * Exports uart.frames 1.0 (casestudy.h). Runs the line at UART_BAUD (921600 by default: a
 * fieldbus-style rate, so the link is not the bottleneck of the throughput measurement). */
#include <wasmio/driver.h>
#include <wasmio/irq.h>
#include <wasmio/service.h>

#include "../../drivers/regs/cmsdk_uart_regs.h"
#include "casestudy.h"

#ifndef UART_BAUD
#define UART_BAUD 921600u
#endif
#define RING 512u /* power of two */

WASMIO_DRIVER("uart-proto");
WASMIO_PERIPHERAL_FLAGS(serial, WASMIO_EXCLUSIVE, "arm,cmsdk-uart");
WASMIO_WINDOW(serial, 0, UART_WINDOW_SIZE, WASMIO_ACCESS_32, WASMIO_VOLATILE(UART_DATA, 4),
              WASMIO_VOLATILE(UART_STATE, 4), WASMIO_VOLATILE(UART_INTSTATUS, 4));
WASMIO_PROPERTY(serial, "clock-frequency");

/* One producer and one consumer per ring (handler vs. service handler): no locking needed. */
typedef struct {
  volatile uint32_t head, tail;
  uint8_t bytes[RING];
} ring;
static ring rx, tx;
static volatile uint32_t tx_busy, rx_overflows, bad_frames;
static uint8_t message[FRAMES_MAX_PAYLOAD + 8];
static uint8_t frame[FRAMES_MAX_PAYLOAD + 8];
static uint32_t frame_length, in_frame;

static uint32_t ring_used(const ring *r) { return r->head - r->tail; }
static void ring_put(ring *r, uint8_t b) {
  r->bytes[r->head & (RING - 1)] = b;
  r->head = r->head + 1;
}
static int ring_get(ring *r) {
  if (r->head == r->tail) return -1;
  const uint8_t b = r->bytes[r->tail & (RING - 1)];
  r->tail = r->tail + 1;
  return b;
}

/* At most RX_BURST bytes per activation (the budget covers them); more raise it again. */
#define RX_BURST 16u
WASMIO_IRQ(serial, 0, proto_rx_irq, 1, 3000, 8) {
  const wasmio_window *u = WASMIO_WIN(serial, 0);
  wasmio_write32(u, UART_INTSTATUS, INT_RX);
  for (uint32_t n = 0; n < RX_BURST && (wasmio_read32(u, UART_STATE) & STATE_RX_FULL); ++n) {
    const uint8_t b = (uint8_t)wasmio_read32(u, UART_DATA);
    if (ring_used(&rx) < RING) {
      ring_put(&rx, b);
    } else {
      rx_overflows = rx_overflows + 1;
    }
  }
}

WASMIO_IRQ(serial, 1, proto_tx_irq, 2, 400, 8) {
  const wasmio_window *u = WASMIO_WIN(serial, 0);
  wasmio_write32(u, UART_INTSTATUS, INT_TX);
  const int b = ring_get(&tx);
  if (b < 0) {
    tx_busy = 0;
  } else {
    wasmio_write32(u, UART_DATA, (uint32_t)b);
  }
}

static const char hex[] = "0123456789ABCDEF";

static int32_t send(uint32_t length) {
  if (length > FRAMES_MAX_PAYLOAD) return -3;
  if (RING - ring_used(&tx) < length + 6) return FRAMES_ERR_FULL;
  uint8_t sum = 0;
  ring_put(&tx, '$');
  for (uint32_t i = 0; i < length; ++i) {
    sum ^= message[i];
    ring_put(&tx, message[i]);
  }
  ring_put(&tx, '*');
  ring_put(&tx, (uint8_t)hex[sum >> 4]);
  ring_put(&tx, (uint8_t)hex[sum & 15]);
  ring_put(&tx, '\r');
  ring_put(&tx, '\n');
  if (!tx_busy) {
    tx_busy = 1; /* before the write: its TX interrupt may come at once */
    wasmio_write32(WASMIO_WIN(serial, 0), UART_DATA, (uint32_t)ring_get(&tx));
  }
  return 0;
}

static int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Parses received bytes up to the next complete frame; its payload goes to `message`. */
static int32_t receive(void) {
  int c;
  while ((c = ring_get(&rx)) >= 0) {
    if (c == '$') {
      in_frame = 1;
      frame_length = 0;
    } else if (!in_frame) {
      continue;
    } else if (c == '\n') {
      in_frame = 0;
      /* payload '*' h h '\r' */
      if (frame_length < 4 || frame[frame_length - 1] != '\r' || frame[frame_length - 4] != '*') {
        bad_frames = bad_frames + 1;
        continue;
      }
      const uint32_t n = frame_length - 4;
      uint8_t sum = 0;
      for (uint32_t i = 0; i < n; ++i) sum ^= frame[i];
      const int hi = hex_value(frame[n + 1]), lo = hex_value(frame[n + 2]);
      if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != sum) {
        bad_frames = bad_frames + 1;
        continue;
      }
      cs_copy(message, frame, n);
      return (int32_t)n;
    } else if (frame_length < sizeof frame) {
      frame[frame_length++] = (uint8_t)c;
    } else {
      in_frame = 0; /* too long: resynchronise on the next '$' */
      bad_frames = bad_frames + 1;
    }
  }
  return 0;
}

WASMIO_SERVICE_PROVIDE(SVC_FRAMES, 1, 0, on_frames, 20000, FRAMES_MAX_PAYLOAD, FRAMES_MAX_PAYLOAD) {
  if (op == FRAMES_OP_SEND) return send(request_length);
  if (op == FRAMES_OP_RECEIVE) return receive();
  return -2;
}

__attribute__((export_name("main"))) void uart_main(void) {
  const wasmio_window *u = WASMIO_WIN(serial, 0);
  const uint32_t clock = wasmio_property_u32("serial", "clock-frequency", 25000000u);
  wasmio_write32(u, UART_BAUDDIV, clock / UART_BAUD);
  wasmio_write32(u, UART_INTSTATUS, INT_TX | INT_RX);
  wasmio_write32(u, UART_CTRL, CTRL_TX_ENABLE | CTRL_RX_ENABLE | CTRL_TX_INT | CTRL_RX_INT);
  wasmio_irq_enable(WASMIO_IRQ_LINE(proto_rx_irq));
  wasmio_irq_enable(WASMIO_IRQ_LINE(proto_tx_irq));
  wasmio_service_ready(SVC_FRAMES, SVC_LEN(SVC_FRAMES), message, sizeof message);
}
