/* TMP105 temperature sensor driver (I2C on the SBCon bit-banged bus, drivers/sbcon_i2c and
 * drivers/tmp105), exporting the service sensor.temperature. Variants built from this file:
 *   SENSOR_MINOR=1        version 1.1 of the driver (the live-update target)
 *   SENSOR_FAULTS         adds ops that trap (0xF0) and never return (0xF1), for the tests
 *   SENSOR_NEEDS_ABSENT   also needs an ADC the board does not have: its manifest cannot bind */
#include <wasmio/driver.h>
#include <wasmio/irq.h>
#include <wasmio/service.h>

#include "../../drivers/tmp105/tmp105.h"
#include "../../drivers/sbcon_i2c/sbcon_i2c.h"
#include "casestudy.h"

#ifndef SENSOR_MINOR
#define SENSOR_MINOR 0
#endif

WASMIO_DRIVER("tmp105-sensor");
#ifdef SENSOR_NEEDS_ABSENT
WASMIO_PERIPHERAL(adc, "acme,absent-adc");
WASMIO_WINDOW(adc, 0, 0x10, WASMIO_ACCESS_32);
#endif

static uint8_t message[16];

/* A bus read per call: the budget covers one whole TMP105 transaction (~4000 fuel measured). */
WASMIO_SERVICE_PROVIDE(SVC_TEMPERATURE, 1, SENSOR_MINOR, on_temperature, 20000, 0, 8) {
  (void)request_length;
  if (op == TEMP_OP_READ) {
    int32_t mc = 0;
    if (tmp105_read_mc(&mc) != 0) return TEMP_ERR_BUS;
    const uint32_t version = 0x10000u | SENSOR_MINOR;
    cs_copy(message, &mc, 4);
    cs_copy(message + 4, &version, 4);
    return 8;
  }
#ifdef SENSOR_FAULTS
  if (op == 0xF0) __builtin_trap();
  if (op == 0xF1) {
    for (volatile uint32_t i = 0;; i = i + 1) {
    }
  }
  if (op == 0xF2) return 9; /* longer than the declared maximum reply */
#endif
  return -2; /* unknown operation */
}

/* Also the native baseline's entry (it has no task to block). */
__attribute__((export_name("sensor_start"))) void sensor_start(void) {
  i2c_init();
  if (tmp105_init() != 0) return; /* no sensor: not ready, callers get "unavailable" */
  wasmio_service_ready(SVC_TEMPERATURE, SVC_LEN(SVC_TEMPERATURE), message, sizeof message);
}

/* Under the "notify" fault policy a failed call withdraws the service and posts
 * WASMIO_EVENT_FAULT: the bus may be mid-transaction, so start over. */
__attribute__((export_name("main"))) void sensor_main(void) {
  sensor_start();
  for (;;) {
    if (wasmio_event_wait(WASMIO_EVENT_FAULT) & WASMIO_EVENT_FAULT) sensor_start();
  }
}
