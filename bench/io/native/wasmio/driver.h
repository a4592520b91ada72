/* Native stand-in for the SDK's driver header, for the benchmark baseline only: the same driver
 * sources compiled for the host (as C++), each accessor one inline RegisterWindow access of the
 * exact width (on a raw window: the window check and one volatile load or store). Manifest
 * macros declare nothing; the harness binds each window object to a backend window. */
#ifndef WASMIO_NATIVE_DRIVER_H
#define WASMIO_NATIVE_DRIVER_H

#include <stdint.h>

#include "io/access/register_backend.h"

#define WASMIO_ACCESS_8 1
#define WASMIO_ACCESS_16 2
#define WASMIO_ACCESS_32 4
#define WASMIO_ACCESS_64 8
#define WASMIO_VOLATILE(offset, length) (offset, length)

struct wasmio_window {
  wasmio::io::RegisterWindow registers;
};

#define WASMIO_DRIVER(name) static_assert(true, name)
#define WASMIO_PERIPHERAL(label, ...) static_assert(true, #label)
#define WASMIO_PERIPHERAL_FLAGS(label, flags, ...) static_assert(true, #label)
#define WASMIO_PROPERTY(label, name) static_assert(true, #label)
#define WASMIO_EXTERN_WINDOW(label, index) extern wasmio_window wasmio_win_##label##_##index
#define WASMIO_WINDOW(label, index, size, widths, ...) \
  WASMIO_EXTERN_WINDOW(label, index);                   \
  wasmio_window wasmio_win_##label##_##index = {}
#define WASMIO_WIN(label, index) (&wasmio_win_##label##_##index)

#define WASMIO__NATIVE_ACCESSORS(bits, type)                                                    \
  static inline type wasmio_read##bits(const wasmio_window *w, uint32_t offset) {               \
    return static_cast<type>(w->registers.read(offset, sizeof(type)).value);                    \
  }                                                                                             \
  static inline void wasmio_write##bits(const wasmio_window *w, uint32_t offset, type value) {  \
    w->registers.write(offset, sizeof(type), value);                                            \
  }
WASMIO__NATIVE_ACCESSORS(8, uint8_t)
WASMIO__NATIVE_ACCESSORS(16, uint16_t)
WASMIO__NATIVE_ACCESSORS(32, uint32_t)
WASMIO__NATIVE_ACCESSORS(64, uint64_t)
#undef WASMIO__NATIVE_ACCESSORS

/* Every access already reaches the registers natively. */
static inline void wasmio_pull(const wasmio_window *, uint32_t, uint32_t) {}
static inline void wasmio_push(const wasmio_window *, uint32_t, uint32_t) {}

/* Served by the harness from the board's devicetree. */
uint32_t wasmio_native_property_u32(const char *label, const char *name, uint32_t fallback);
static inline uint32_t wasmio_property_u32(const char *label, const char *name, uint32_t fallback) {
  return wasmio_native_property_u32(label, name, fallback);
}

#endif
