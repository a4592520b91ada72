/* What the case-study containers agree on: service names, versions, operations and message
 * layouts (docs/case-study.md). Little-endian, as Wasm memory is. */
#ifndef CASESTUDY_H
#define CASESTUDY_H

#include <stdint.h>

#define SVC_TEMPERATURE "sensor.temperature"
#define SVC_FRAMES "uart.frames"
#define SVC_TICKS "clock.ticks"
#define SVC_LOG "storage.log"
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
/* storage.log 1.0 (flash-log: records in the SPI NOR flash, numbered from 0, kept across
 * restarts of the driver; a ring of LOG_CAPACITY slots, the oldest sector recycled when full):
 *   op 1 append: request the record (1..LOG_RECORD_MAX bytes) -> reply { uint32 number }
 *   op 2 read:   request { uint32 number } -> reply the record
 *   op 3 count:  -> reply { uint32 next number; uint32 oldest number kept; uint32 capacity }
 *   op 4 erase:  the whole log (busy for ~150 ms); numbering starts again at 0; reply empty
 *   op 5 status: -> reply { uint32 serving (1) or refused (0); uint8 jedec id[3]; uint8 0 }
 * While the flash programs or erases, ops 1, 2 and 4 return LOG_ERR_BUSY: a handler never
 * waits for an erase. */
#define LOG_OP_APPEND 1u
#define LOG_OP_READ 2u
#define LOG_OP_COUNT 3u
#define LOG_OP_ERASE 4u
#define LOG_OP_STATUS 5u
#define LOG_RECORD_MAX 48 /* a literal: pasted into the service record */
#define LOG_ERR_BUSY -1     /* the flash is programming or erasing: try later */
#define LOG_ERR_RANGE -2    /* no such record (never written, or recycled) */
#define LOG_ERR_DEVICE -3   /* the flash did not answer or did not keep what was written */
#define LOG_ERR_REQUEST -4  /* bad request length */
#define LOG_ERR_CORRUPT -5  /* the slot does not hold the record it should */
#define LOG_ERR_OP -6       /* unknown operation */
#define LOG_ERR_IDENTITY -7 /* the JEDEC ID is not a W25Q16JV's: the driver refuses the chip */

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
