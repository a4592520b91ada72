/* wasmio services between containers (host side: src/services, design:
 * docs/design/0013-services-and-update.md).
 *
 * A container PROVIDES a named, versioned service ("sensor.temperature" version 1.0) with one
 * handler; another container USES it. Both declare it at file scope; the macros write records
 * into the custom section "wasmio.services" (format in the design record):
 *
 *   WASMIO_SERVICE_PROVIDE("sensor.temperature", 1, 0, on_temperature, 4000, 16, 16);
 *       name, version major, minor, handler, budget (fuel per call), max request, max reply
 *   WASMIO_SERVICE_USE("sensor.temperature", 1, 0);   name, major, lowest acceptable minor
 *
 * There is no shared memory. A call copies the request from the caller's memory into the
 * provider's message buffer (registered with wasmio_service_ready), runs the handler on the
 * caller's time with at most `budget` fuel, and copies the reply back. Both copies are bounds
 * checked against each side's own linear memory.
 *
 *   Provider:  int32_t on_temperature(uint32_t op, uint32_t request_length)
 *              reads the request from its buffer, writes the reply there, returns the reply
 *              length, or a negative application error (-1..-255) the caller sees as
 *              WASMIO_SVC_APP_ERROR(code). A handler never blocks.
 *   Caller:    int32_t h = wasmio_service_open("sensor.temperature", 18, 1, 0);
 *              int32_t n = wasmio_service_call(h, op, req, req_len, reply, reply_capacity);
 *              n >= 0 is the reply length; else one of the WASMIO_SVC_E* codes.
 *
 * A handle stays valid while the provider is replaced (live update): calls during the update
 * return WASMIO_SVC_EUPDATING, later ones reach the new version.
 */
#ifndef WASMIO_SERVICE_H
#define WASMIO_SERVICE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMIO_SVC_EUNDECLARED -1  /* the caller has no WASMIO_SERVICE_USE for this name/version */
#define WASMIO_SVC_EVERSION -2     /* the provider's version does not satisfy the caller's */
#define WASMIO_SVC_EUNAVAILABLE -3 /* no provider, provider stopped, faulted or not ready */
#define WASMIO_SVC_EUPDATING -4    /* the provider is being replaced */
#define WASMIO_SVC_ETOOBIG -5      /* request longer than the provider's maximum */
#define WASMIO_SVC_ERANGE -6       /* the reply does not fit the caller's reply buffer */
#define WASMIO_SVC_EFAULT -7       /* the provider trapped during the call */
#define WASMIO_SVC_EBUDGET -8      /* the provider overran its per-call budget */
#define WASMIO_SVC_EBUSY -9        /* the provider is serving a call already (no re-entry) */
#define WASMIO_SVC_EHANDLE -10     /* not a handle from wasmio_service_open */
#define WASMIO_SVC_APP_BASE -256   /* handler result r < 0 arrives as WASMIO_SVC_APP_BASE + r */
#define WASMIO_SVC_IS_APP_ERROR(result) ((result) < WASMIO_SVC_APP_BASE && (result) >= WASMIO_SVC_APP_BASE - 255)
#define WASMIO_SVC_APP_ERROR(result) ((result) - WASMIO_SVC_APP_BASE) /* back to the handler's r */

#define WASMIO__SVC_STR_(x) #x
#define WASMIO__SVC_STR(x) WASMIO__SVC_STR_(x)

/* One record: major 1, minor 0, kind, u16 body length, body (see the design record). */
#define WASMIO__SVC_RECORD(kind, body)                             \
  __asm__(".section .custom_section.wasmio.services,\"\",@\n"     \
          ".byte 1\n.byte 0\n.byte " #kind "\n"                    \
          ".2byte 2f-1f\n"                                         \
          "1:\n" body "2:\n"                                       \
          ".text\n")

#define WASMIO_SERVICE_PROVIDE(name, major, minor, handler, budget, max_request, max_reply)  \
  WASMIO__SVC_RECORD(1, ".asciz \"" name "\"\n"                                            \
                        ".2byte " WASMIO__SVC_STR(major) "\n"                             \
                        ".2byte " WASMIO__SVC_STR(minor) "\n"                             \
                        ".4byte " WASMIO__SVC_STR(budget) "\n"                            \
                        ".4byte " WASMIO__SVC_STR(max_request) "\n"                       \
                        ".4byte " WASMIO__SVC_STR(max_reply) "\n"                         \
                        ".asciz \"" #handler "\"\n");                                      \
  int32_t handler(uint32_t op, uint32_t request_length);                                   \
  __attribute__((export_name(#handler))) int32_t wasmio__svc_##handler(uint32_t op,         \
                                                                       uint32_t length) { \
    return handler(op, length);                                                            \
  }                                                                                        \
  int32_t handler(uint32_t op, uint32_t request_length)

#define WASMIO_SERVICE_USE(name, major, minor)                   \
  WASMIO__SVC_RECORD(2, ".asciz \"" name "\"\n"                  \
                        ".2byte " WASMIO__SVC_STR(major) "\n"   \
                        ".2byte " WASMIO__SVC_STR(minor) "\n")

#define WASMIO__SVC_IMPORT(name) __attribute__((import_module("wasmio_svc"), import_name(#name)))

/* Provider: the service `name` is ready; requests and replies pass through `buffer`
 * (`capacity` bytes, at least the declared maximum request and reply). 0 or a negative code. */
WASMIO__SVC_IMPORT(ready)
int32_t wasmio_service_ready(const char *name, uint32_t name_length, void *buffer, uint32_t capacity);
/* Provider: stop serving `name` (callers get WASMIO_SVC_EUNAVAILABLE). */
WASMIO__SVC_IMPORT(withdraw) int32_t wasmio_service_withdraw(const char *name, uint32_t name_length);
/* Caller: a handle for a service declared with WASMIO_SERVICE_USE, or a negative code. */
WASMIO__SVC_IMPORT(open)
int32_t wasmio_service_open(const char *name, uint32_t name_length, uint32_t major, uint32_t minor);
/* Caller: one bounded request/reply exchange. */
WASMIO__SVC_IMPORT(call)
int32_t wasmio_service_call(int32_t handle, uint32_t op, const void *request, uint32_t request_length,
                            void *reply, uint32_t reply_capacity);

#ifdef __cplusplus
}
#endif

#endif
