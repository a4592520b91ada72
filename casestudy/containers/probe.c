/* Test-only caller of one service (PROBE_SERVICE, by default sensor.temperature): the tests
 * invoke its exports directly to exercise every refusal of the service interface and every op
 * of a provider. PROBE_MAJOR=2 declares an incompatible version. */
#include <wasmio/service.h>

#include "casestudy.h"

#ifndef PROBE_MAJOR
#define PROBE_MAJOR 1
#endif
#ifndef PROBE_SERVICE
#define PROBE_SERVICE SVC_TEMPERATURE
#endif

WASMIO_SERVICE_USE(PROBE_SERVICE, PROBE_MAJOR, 0);

static uint8_t request[8192];
static uint8_t reply[8192];

__attribute__((export_name("probe_open"))) int32_t probe_open(uint32_t major, uint32_t minor) {
  return wasmio_service_open(PROBE_SERVICE, SVC_LEN(PROBE_SERVICE), major, minor);
}

__attribute__((export_name("probe_open_unknown"))) int32_t probe_open_unknown(void) {
  return wasmio_service_open("no.such.service", 15, 1, 0);
}

__attribute__((export_name("probe_call")))
int32_t probe_call(int32_t handle, uint32_t op, uint32_t request_length, uint32_t reply_capacity) {
  return wasmio_service_call(handle, op, request, request_length, reply, reply_capacity);
}

/* The reply buffer reaches past the end of memory: the caller traps, nothing is copied. */
__attribute__((export_name("probe_call_outside"))) int32_t probe_call_outside(int32_t handle) {
  return wasmio_service_call(handle, TEMP_OP_READ, request, 0, (void *)0xFFFFFFF0u, 64);
}

__attribute__((export_name("probe_reply_i32"))) int32_t probe_reply_i32(uint32_t offset) {
  int32_t v;
  cs_copy(&v, reply + offset, 4);
  return v;
}

/* Where the test writes a request (the probe's memory is the test's to fill). */
__attribute__((export_name("probe_request"))) uint32_t probe_request(void) {
  return (uint32_t)(uintptr_t)request;
}
