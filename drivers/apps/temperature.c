/* TMP105 over bit-banged SBCon I2C: main returns the temperature in millidegrees Celsius
 * (INT32_MIN when the sensor does not answer). */
#include <wasmio/driver.h>

#include "../tmp105/tmp105.h"

WASMIO_DRIVER("tmp105-temperature");

#define NO_READING ((int32_t)0x80000000u)

__attribute__((export_name("init"))) int32_t init(void) { return tmp105_init(); }

__attribute__((export_name("read_mc"))) int32_t read_mc(void) {
  int32_t mc = 0;
  return tmp105_read_mc(&mc) == 0 ? mc : NO_READING;
}

__attribute__((export_name("main"))) int32_t main_entry(void) {
  if (tmp105_init() != 0) return NO_READING;
  return read_mc();
}
