/* TMP105 temperature as one async I2C transaction (pointer write, repeated START, 2-byte read). */
#ifndef WASMIO_DRIVERS_ASYNC_TMP105_ASYNC_H
#define WASMIO_DRIVERS_ASYNC_TMP105_ASYNC_H

#include <stdint.h>

/* Start the read into raw[0..2): an op id or a negative WASMIO_ASYNC_* status. */
int32_t tmp105_async_start(uint8_t *raw, uint32_t events);
/* Millidegrees Celsius from the two bytes (MSB first, 1/256 degC per LSB). */
int32_t tmp105_async_millicelsius(const uint8_t *raw);

#endif
