/* TMP105 on an SBCon bus: the host bit-bangs the whole transaction from a timer; the driver
 * only lends the pointer byte and the 2-byte result. */
#include "tmp105_async.h"

#include <wasmio/async.h>
#include <wasmio/driver.h>

WASMIO_PERIPHERAL(i2c, "arm,versatile-i2c");
WASMIO_WINDOW(i2c, 0, 8, WASMIO_ACCESS_32, WASMIO_VOLATILE(0, 8));
WASMIO_PERIPHERAL(sensor, "ti,tmp105");
WASMIO_PROPERTY(sensor, "reg"); /* the I2C address */

static uint8_t pointer_register; /* 0: temperature; lent while the transaction runs */

int32_t tmp105_async_start(uint8_t *raw, uint32_t events) {
  const uint32_t address = wasmio_property_u32("sensor", "reg", 0x48) & 0x7Fu;
  pointer_register = 0;
  return wasmio_i2c_transfer(wasmio_window_resolve(WASMIO_WIN(i2c, 0)), address, &pointer_register, 1,
                             raw, 2, events);
}

int32_t tmp105_async_millicelsius(const uint8_t *raw) {
  const int16_t value = (int16_t)((uint16_t)raw[0] << 8 | raw[1]);
  return (int32_t)value * 1000 / 256;
}
