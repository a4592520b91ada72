/* Arm SBCon two-wire interface, bit-banged I2C master (standard mode sequencing; the lines are
 * open drain: writing 1 releases a line, the bus reads back the wired AND). */
#include "sbcon_i2c.h"

#include <wasmio/driver.h>

#define SB_CONTROL 0x00  /* read: line levels; write: CONTROLS (set bits) */
#define SB_CONTROLC 0x04 /* write: clear bits */
#define SB_WINDOW_SIZE 0x08
#define SCL 0x1u
#define SDA 0x2u

WASMIO_PERIPHERAL(i2c, "arm,versatile-i2c");
/* CONTROL reads the bus, CONTROLS/CONTROLC are set/clear strobes: nothing here is storage, so
 * the copy path reaches every register with host calls. */
WASMIO_WINDOW(i2c, 0, SB_WINDOW_SIZE, WASMIO_ACCESS_32, WASMIO_VOLATILE(SB_CONTROL, SB_WINDOW_SIZE));

static inline void line_high(uint32_t line) { wasmio_write32(WASMIO_WIN(i2c, 0), SB_CONTROL, line); }
static inline void line_low(uint32_t line) { wasmio_write32(WASMIO_WIN(i2c, 0), SB_CONTROLC, line); }
static inline uint32_t sda_level(void) { return wasmio_read32(WASMIO_WIN(i2c, 0), SB_CONTROL) & SDA; }

void i2c_init(void) {
  line_high(SCL);
  line_high(SDA); /* SDA rising with SCL high: a STOP, the bus is idle */
}

static void start(void) {
  line_high(SDA);
  line_high(SCL);
  line_low(SDA);
  line_low(SCL);
}

static void stop(void) {
  line_low(SDA);
  line_high(SCL);
  line_high(SDA);
}

static void write_bit(uint32_t bit) {
  if (bit) {
    line_high(SDA);
  } else {
    line_low(SDA);
  }
  line_high(SCL);
  line_low(SCL);
}

static uint32_t read_bit(void) {
  uint32_t bit;
  line_high(SDA);
  line_high(SCL);
  bit = sda_level() != 0;
  line_low(SCL);
  return bit;
}

/* Returns 1 when the target acknowledged. */
static int write_byte(uint32_t byte) {
  for (int i = 7; i >= 0; --i) write_bit((byte >> i) & 1u);
  return read_bit() == 0;
}

static uint32_t read_byte(int ack) {
  uint32_t byte = 0;
  for (int i = 0; i < 8; ++i) byte = byte << 1 | read_bit();
  write_bit(ack ? 0 : 1);
  return byte;
}

int32_t i2c_transfer(uint32_t address, const uint8_t *write, uint32_t count, uint8_t *read,
                     uint32_t read_count) {
  int32_t status = 0;
  start();
  if (count > 0 || read_count == 0) {
    if (!write_byte(address << 1)) {
      status = -1;
      goto done;
    }
    for (uint32_t i = 0; i < count; ++i) {
      if (!write_byte(write[i])) {
        status = -1;
        goto done;
      }
    }
    if (read_count > 0) start(); /* repeated START */
  }
  if (read_count > 0) {
    if (!write_byte(address << 1 | 1u)) {
      status = -1;
      goto done;
    }
    for (uint32_t i = 0; i < read_count; ++i) read[i] = (uint8_t)read_byte(i + 1 < read_count);
  }
done:
  stop();
  return status;
}
