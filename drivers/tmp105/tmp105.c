/* TI TMP105 over the bit-banged SBCon bus. The sensor is a bus node with an address and no
 * registers of its own; its bus controller is the driver's `i2c` peripheral (the loader puts
 * both on the same bus). */
#include "tmp105.h"

#include <wasmio/driver.h>

#include "../sbcon_i2c/sbcon_i2c.h"

#define TMP105_POINTER_TEMPERATURE 0x00
#define TMP105_POINTER_CONFIG 0x01
#define TMP105_CONFIG_12BIT 0x60 /* R1:R0 = 11 */
#define TMP105_DEFAULT_ADDRESS 0x48

WASMIO_PERIPHERAL(sensor, "ti,tmp105");
WASMIO_PROPERTY(sensor, "reg"); /* the I2C address */

static uint32_t sensor_address(void) {
  return wasmio_property_u32("sensor", "reg", TMP105_DEFAULT_ADDRESS) & 0x7Fu;
}

int32_t tmp105_init(void) {
  const uint8_t config[2] = {TMP105_POINTER_CONFIG, TMP105_CONFIG_12BIT};
  i2c_init();
  return i2c_transfer(sensor_address(), config, 2, 0, 0);
}

int32_t tmp105_read_mc(int32_t *out) {
  const uint8_t pointer = TMP105_POINTER_TEMPERATURE;
  uint8_t raw[2];
  if (i2c_transfer(sensor_address(), &pointer, 1, raw, 2) != 0) return -1;
  /* Two's complement, 1/256 degC per LSB (left-justified 12 bits). */
  const int32_t value = (int16_t)(uint16_t)((uint32_t)raw[0] << 8 | raw[1]);
  *out = value * 1000 / 256;
  return 0;
}
