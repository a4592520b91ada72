/* A driver for a device the AN385 does not have: its manifest must be refused at binding, on
 * the MCU exactly as on the simulated board. */
#include <wasmio/driver.h>

WASMIO_DRIVER("no-such-device");
WASMIO_PERIPHERAL(dev, "vendor,not-on-this-board");
WASMIO_WINDOW(dev, 0, 0x100, WASMIO_ACCESS_32, WASMIO_VOLATILE(0x00, 4));

__attribute__((export_name("main"))) int32_t main_entry(void) {
  return (int32_t)wasmio_read32(WASMIO_WIN(dev, 0), 0);
}
