/* What the case-study containers agree on: service names, versions, operations and message
 * layouts (docs/case-study.md). Little-endian, as Wasm memory is. */
#ifndef CASESTUDY_H
#define CASESTUDY_H

#include <stdint.h>

#define SVC_TEMPERATURE "sensor.temperature"
#define SVC_FRAMES "uart.frames"
#define SVC_TICKS "clock.ticks"
#define SVC_LEN(literal) (sizeof(literal) - 1)

/* sensor.temperature 1.x: op 1 -> reply { int32 millicelsius; uint32 driver_version } */
#define TEMP_OP_READ 1u
#define TEMP_ERR_BUS -1 /* the sensor did not answer */
/* uart.frames 1.0: op 1 (request: payload) queues "$<payload>*<xor hex>\r\n"; reply empty.
 *                  op 2 -> reply: the payload of the next received frame with a good checksum
 *                  (empty when none). */
#define FRAMES_OP_SEND 1u
#define FRAMES_OP_RECEIVE 2u
#define FRAMES_ERR_FULL -1    /* not enough room in the transmit ring: try later */
#define FRAMES_MAX_PAYLOAD 64 /* a literal: pasted into the service record */
/* clock.ticks 1.0: op 1 -> reply { uint32 milliseconds since the timer started } */
#define TICKS_OP_NOW 1u

/* Freestanding helpers (no libc in the containers). */
static inline uint32_t cs_put_u32(char *out, uint32_t v) {
  char digits[10];
  uint32_t n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (uint32_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return n;
}

static inline uint32_t cs_put_i32(char *out, int32_t v) {
  if (v < 0) {
    out[0] = '-';
    return 1 + cs_put_u32(out + 1, (uint32_t)(-(int64_t)v));
  }
  return cs_put_u32(out, (uint32_t)v);
}

static inline uint32_t cs_put_str(char *out, const char *s) {
  uint32_t n = 0;
  while (s[n] != 0) {
    out[n] = s[n];
    ++n;
  }
  return n;
}

static inline void cs_copy(void *to, const void *from, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) ((uint8_t *)to)[i] = ((const uint8_t *)from)[i];
}

#endif
