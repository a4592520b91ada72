/* A manifest asking for the interrupt controller itself. The devicetree has the node, so the
 * binder can match it; the firmware's register backend serves the APB only, so the load fails
 * at the backend and the container never sees the NVIC. */
#include <wasmio/driver.h>

WASMIO_DRIVER("nvic-grab");
WASMIO_PERIPHERAL(nvic, "arm,v7m-nvic");
WASMIO_WINDOW(nvic, 0, 0x100, WASMIO_ACCESS_32, WASMIO_VOLATILE(0x00, 4));

/* Would disable every interrupt line of the board. */
__attribute__((export_name("main"))) int32_t main_entry(void) {
  wasmio_write32(WASMIO_WIN(nvic, 0), 0x80, 0xFFFFFFFFu);
  return 0;
}
