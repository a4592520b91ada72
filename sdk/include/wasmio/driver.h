/*
 * wasmio guest SDK: what a device driver compiled to WebAssembly includes.
 *
 * 1. Declare what the driver needs from the board (once per driver, at file scope):
 *
 *      WASMIO_DRIVER("uart-echo");
 *      WASMIO_PERIPHERAL(uart, "arm,cmsdk-uart");             // label, compatibles by preference
 *      WASMIO_WINDOW(uart, 0, 0x14, WASMIO_ACCESS_32,          // reg entry 0, 0x14 bytes, 32-bit
 *                    WASMIO_VOLATILE(0x00, 4));                // never shadowed (FIFO)
 *      WASMIO_IRQ(uart, 0, on_uart_irq, 2, 20000, 80);         // handler, priority, budget, us
 *      WASMIO_PROPERTY(uart, "clock-frequency");
 *
 *    The macros write records into the custom section "wasmio.manifest" (format:
 *    docs/manifest-format.md). They use assembler directives because clang-14 drops data placed
 *    in custom sections with __attribute__((section)); every record is self-delimiting, so the
 *    linker may concatenate records from several files in any order. Numeric arguments are
 *    pasted into assembler text: use literals or macros that expand to literals/arithmetic
 *    (no enum constants, no sizeof).
 *
 * 2. Reach registers through accessors that expand to the access path chosen at compile time
 *    with -DWASMIO_ACCESS_PATH=HOST_CALL (default), MAPPED or COPY:
 *
 *      uint32_t state = wasmio_read32(WASMIO_WIN(uart, 0), 0x04);
 *      wasmio_write32(WASMIO_WIN(uart, 0), 0x00, 'A');
 *
 *    HOST_CALL  every access is a call of an import of module "wasmio" (reg_read32, ...).
 *    MAPPED     windows appear in the guest's address space above its linear memory, in
 *               [WASMIO_MAP_BASE, WASMIO_MAP_BASE + WASMIO_MAP_SIZE); accesses are plain
 *               loads/stores that the host routes to the device with the same width.
 *    COPY       the driver works on a shadow copy of each window in its own memory:
 *               wasmio_pull() copies registers in, wasmio_push() copies them out, in batches.
 *               Registers whose reads or writes have side effects (read-to-clear status, FIFO
 *               data, write-1-to-clear bits) must never be shadowed: declare them with
 *               WASMIO_VOLATILE; accessors then call the host for those bytes on every access,
 *               and the host skips them in pull and push.
 *    wasmio_pull/wasmio_push are no-ops on the other paths, so one source serves all three.
 */
#ifndef WASMIO_DRIVER_H
#define WASMIO_DRIVER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------------------------------- */
/* Constants                                                                                 */
/* ----------------------------------------------------------------------------------------- */

#define WASMIO_ACCESS_8 1
#define WASMIO_ACCESS_16 2
#define WASMIO_ACCESS_32 4
#define WASMIO_ACCESS_64 8

#define WASMIO_EXCLUSIVE 1 /* no other container may share the node */
#define WASMIO_OPTIONAL 2  /* the driver copes without it: see wasmio_window_present() */

#define WASMIO_MANIFEST_MAJOR 1
#define WASMIO_MANIFEST_MINOR 0

/* Access path: -DWASMIO_ACCESS_PATH=HOST_CALL|MAPPED|COPY. */
#define WASMIO__PATH_HOST_CALL 1
#define WASMIO__PATH_MAPPED 2
#define WASMIO__PATH_COPY 3
#ifndef WASMIO_ACCESS_PATH
#define WASMIO_ACCESS_PATH HOST_CALL
#endif
#define WASMIO__PASTE(a, b) a##b
#define WASMIO__XPASTE(a, b) WASMIO__PASTE(a, b)
#define WASMIO__PATH WASMIO__XPASTE(WASMIO__PATH_, WASMIO_ACCESS_PATH)
#if WASMIO__PATH == WASMIO__PATH_HOST_CALL
#define WASMIO__PATH_CODE 0
#elif WASMIO__PATH == WASMIO__PATH_MAPPED
#define WASMIO__PATH_CODE 1
#elif WASMIO__PATH == WASMIO__PATH_COPY
#define WASMIO__PATH_CODE 2
#else
#error "WASMIO_ACCESS_PATH must be HOST_CALL, MAPPED or COPY"
#endif

/* Mapped path: the guest address range where the host places granted windows. It must lie
 * above every address the linear memory can reach (WasmioDriver.cmake caps the memory below
 * it with --max-memory). */
#ifndef WASMIO_MAP_BASE
#define WASMIO_MAP_BASE 0xF0000000
#endif
#ifndef WASMIO_MAP_SIZE
#define WASMIO_MAP_SIZE 0x01000000
#endif
#if WASMIO__PATH_CODE == 1
#define WASMIO__RANGE_BASE WASMIO_MAP_BASE
#define WASMIO__RANGE_SIZE WASMIO_MAP_SIZE
#else
#define WASMIO__RANGE_BASE 0
#define WASMIO__RANGE_SIZE 0
#endif

/* ----------------------------------------------------------------------------------------- */
/* Manifest records (assembler text)                                                         */
/* ----------------------------------------------------------------------------------------- */

#define WASMIO__STR_(x) #x
#define WASMIO__STR(x) WASMIO__STR_(x)

/* One record: major, minor, kind, u16 body length (label difference), body. */
#define WASMIO__RECORD(kind, body)                                                          \
  __asm__(".section .custom_section.wasmio.manifest,\"\",@\n"                             \
          ".byte " WASMIO__STR(WASMIO_MANIFEST_MAJOR) "\n"                                \
          ".byte " WASMIO__STR(WASMIO_MANIFEST_MINOR) "\n"                                \
          ".byte " #kind "\n"                                                             \
          ".2byte 2f-1f\n"                                                                \
          "1:\n" body "2:\n"                                                               \
          ".text\n")

/* Argument counting, 0..8 arguments. */
#define WASMIO__COUNT(...) WASMIO__COUNT_(0 __VA_OPT__(, ) __VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define WASMIO__COUNT_(z, a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define WASMIO__EACH(macro, ...) \
  WASMIO__XPASTE(WASMIO__EACH_, WASMIO__COUNT(__VA_ARGS__))(macro __VA_OPT__(, ) __VA_ARGS__)
#define WASMIO__EACH_0(m)
#define WASMIO__EACH_1(m, a) m(a)
#define WASMIO__EACH_2(m, a, ...) m(a) WASMIO__EACH_1(m, __VA_ARGS__)
#define WASMIO__EACH_3(m, a, ...) m(a) WASMIO__EACH_2(m, __VA_ARGS__)
#define WASMIO__EACH_4(m, a, ...) m(a) WASMIO__EACH_3(m, __VA_ARGS__)
#define WASMIO__EACH_5(m, a, ...) m(a) WASMIO__EACH_4(m, __VA_ARGS__)
#define WASMIO__EACH_6(m, a, ...) m(a) WASMIO__EACH_5(m, __VA_ARGS__)
#define WASMIO__EACH_7(m, a, ...) m(a) WASMIO__EACH_6(m, __VA_ARGS__)
#define WASMIO__EACH_8(m, a, ...) m(a) WASMIO__EACH_7(m, __VA_ARGS__)

#define WASMIO__ASCIZ(s) ".asciz " WASMIO__STR(s) "\n"
#define WASMIO__VOL_ASM_(offset, length) \
  ".4byte " WASMIO__STR(offset) "\n.4byte " WASMIO__STR(length) "\n"
#define WASMIO__VOL_ASM(range) WASMIO__VOL_ASM_ range
#define WASMIO__VOL_INIT_(offset, length) {(offset), (length)},
#define WASMIO__VOL_INIT(range) WASMIO__VOL_INIT_ range

/* The driver record: its name, the access path it was compiled for, the mapped range. */
#define WASMIO_DRIVER(name)                                          \
  WASMIO__RECORD(1, ".byte " WASMIO__STR(WASMIO__PATH_CODE) "\n"     \
                    ".4byte " WASMIO__STR(WASMIO__RANGE_BASE) "\n"   \
                    ".4byte " WASMIO__STR(WASMIO__RANGE_SIZE) "\n"   \
                    WASMIO__ASCIZ(name))

/* A peripheral the driver calls `label`, matched by compatible strings in order of preference
 * (1 to 8 of them). */
#define WASMIO_PERIPHERAL(label, ...) WASMIO_PERIPHERAL_FLAGS(label, 0, __VA_ARGS__)
#define WASMIO_PERIPHERAL_FLAGS(label, flags, ...)                                  \
  WASMIO__RECORD(2, ".byte " WASMIO__STR(flags) "\n"                               \
                    ".asciz \"" #label "\"\n"                                      \
                    WASMIO__EACH(WASMIO__ASCIZ, __VA_ARGS__) ".byte 0\n")

/* A register window: the node's reg entry `index` (a literal 0..7), at least `size` bytes,
 * accessed with `widths` (WASMIO_ACCESS_* ored), then up to 8 WASMIO_VOLATILE(offset, length)
 * ranges that must never be shadowed. Also defines the window object WASMIO_WIN(label, index);
 * other files reach it after WASMIO_EXTERN_WINDOW(label, index). */
#define WASMIO_VOLATILE(offset, length) (offset, length)
#define WASMIO_WINDOW(label, index, size, widths, ...)                                  \
  WASMIO__RECORD(3, ".asciz \"" #label "\"\n"                                          \
                    ".byte " #index "\n"                                               \
                    ".byte " WASMIO__STR(widths) "\n"                                  \
                    ".4byte " WASMIO__STR(size) "\n"                                   \
                    ".byte " WASMIO__STR(WASMIO__COUNT(__VA_ARGS__)) "\n"              \
                    WASMIO__EACH(WASMIO__VOL_ASM, __VA_ARGS__));                        \
  static const wasmio_range wasmio__volatile_##label##_##index[] = {                    \
      WASMIO__EACH(WASMIO__VOL_INIT, __VA_ARGS__){0, 0}};                              \
  WASMIO__SHADOW(label, index, size)                                                    \
  static wasmio_window_state wasmio__state_##label##_##index = {-1, 0};                 \
  WASMIO_EXTERN_WINDOW(label, index);                                                   \
  const wasmio_window wasmio_win_##label##_##index = {                                  \
      #label, sizeof(#label) - 1, (index), (size), &wasmio__state_##label##_##index,    \
      WASMIO__SHADOW_BASE(label, index), wasmio__volatile_##label##_##index,            \
      WASMIO__COUNT(__VA_ARGS__)}

#define WASMIO_WIN(label, index) (&wasmio_win_##label##_##index)
#define WASMIO_EXTERN_WINDOW(label, index) extern const wasmio_window wasmio_win_##label##_##index

/* An interrupt: the node's interrupts entry `index`, the handler run for it (a void(void)
 * function defined in any file; the macro exports a trampoline under the handler's name, so do
 * not export the handler yourself), its priority (0 = most urgent), its budget in fuel units per
 * run, and the minimum time between two interrupts in microseconds (0 = unspecified). */
#define WASMIO_IRQ(label, index, handler, priority, budget, min_interarrival_us)       \
  WASMIO__RECORD(4, ".asciz \"" #label "\"\n"                                          \
                    ".byte " #index "\n"                                               \
                    ".byte " WASMIO__STR(priority) "\n"                                \
                    ".4byte " WASMIO__STR(budget) "\n"                                 \
                    ".4byte " WASMIO__STR(min_interarrival_us) "\n"                    \
                    ".asciz \"" #handler "\"\n");                                       \
  void handler(void);                                                                   \
  __attribute__((export_name(#handler))) void wasmio__irq_##handler(void) { handler(); } \
  void handler(void)

/* A devicetree property of the peripheral's node that the driver reads; binding refuses a node
 * without it. */
#define WASMIO_PROPERTY(label, name) \
  WASMIO__RECORD(5, ".asciz \"" #label "\"\n" WASMIO__ASCIZ(name))

/* ----------------------------------------------------------------------------------------- */
/* Windows at run time                                                                       */
/* ----------------------------------------------------------------------------------------- */

typedef struct wasmio_range {
  uint32_t offset;
  uint32_t length;
} wasmio_range;

/* What the host decides at run time. */
typedef struct wasmio_window_state {
  int32_t handle; /* < 0 until resolved */
  uint8_t *base;  /* MAPPED: guest address of the window */
} wasmio_window_state;

/* What the manifest fixes at compile time; constant, so the compiler folds the volatile-range
 * checks of the copy path for constant offsets. */
typedef struct wasmio_window {
  const char *label;
  uint32_t label_len;
  uint32_t index;
  uint32_t size;
  wasmio_window_state *state;
  uint8_t *shadow; /* COPY: the shadow buffer; else null */
  const wasmio_range *volatile_ranges;
  uint32_t volatile_count;
} wasmio_window;

#if WASMIO__PATH_CODE == 2
#define WASMIO__SHADOW(label, index, size) \
  static uint64_t wasmio__shadow_##label##_##index[((size) + 7) / 8];
#define WASMIO__SHADOW_BASE(label, index) ((uint8_t *)wasmio__shadow_##label##_##index)
#else
#define WASMIO__SHADOW(label, index, size)
#define WASMIO__SHADOW_BASE(label, index) 0
#endif

#define WASMIO__IMPORT(name) __attribute__((import_module("wasmio"), import_name(#name)))

/* The host's functions (module "wasmio"); signatures are fixed by src/io/bind/guest_abi.cpp. */
WASMIO__IMPORT(window_handle) int32_t wasmio_host_window_handle(const char *label, uint32_t label_len, uint32_t index);
WASMIO__IMPORT(window_base) uint32_t wasmio_host_window_base(int32_t handle);
WASMIO__IMPORT(reg_read8) uint32_t wasmio_host_reg_read8(int32_t handle, uint32_t offset);
WASMIO__IMPORT(reg_read16) uint32_t wasmio_host_reg_read16(int32_t handle, uint32_t offset);
WASMIO__IMPORT(reg_read32) uint32_t wasmio_host_reg_read32(int32_t handle, uint32_t offset);
WASMIO__IMPORT(reg_read64) uint64_t wasmio_host_reg_read64(int32_t handle, uint32_t offset);
WASMIO__IMPORT(reg_write8) void wasmio_host_reg_write8(int32_t handle, uint32_t offset, uint32_t value);
WASMIO__IMPORT(reg_write16) void wasmio_host_reg_write16(int32_t handle, uint32_t offset, uint32_t value);
WASMIO__IMPORT(reg_write32) void wasmio_host_reg_write32(int32_t handle, uint32_t offset, uint32_t value);
WASMIO__IMPORT(reg_write64) void wasmio_host_reg_write64(int32_t handle, uint32_t offset, uint64_t value);
WASMIO__IMPORT(shadow_pull) int32_t wasmio_host_shadow_pull(int32_t handle, uint32_t offset, uint32_t length, void *shadow);
WASMIO__IMPORT(shadow_push) int32_t wasmio_host_shadow_push(int32_t handle, uint32_t offset, uint32_t length, const void *shadow);
WASMIO__IMPORT(property_read) int32_t wasmio_host_property_read(const char *label, uint32_t label_len, const char *name, uint32_t name_len, void *dst, uint32_t dst_len);

/* Resolves the window's handle (and, mapped, its address); < 0 when the host did not grant it
 * (an optional peripheral the board lacks). */
static inline int32_t wasmio_window_resolve(const wasmio_window *w) {
  wasmio_window_state *state = w->state;
  if (state->handle < 0) {
    int32_t handle = wasmio_host_window_handle(w->label, w->label_len, w->index);
    if (handle < 0) return handle;
#if WASMIO__PATH_CODE == 1
    state->base = (uint8_t *)(uintptr_t)wasmio_host_window_base(handle);
#endif
    state->handle = handle;
  }
  return state->handle;
}

static inline int wasmio_window_present(const wasmio_window *w) { return wasmio_window_resolve(w) >= 0; }

/* The handle of a window the driver cannot work without: traps when it was not granted. */
static inline int32_t wasmio__handle(const wasmio_window *w) {
  int32_t handle = w->state->handle;
  if (__builtin_expect(handle < 0, 0)) {
    handle = wasmio_window_resolve(w);
    if (handle < 0) __builtin_trap();
  }
  return handle;
}

/* Copy path: is any byte of [offset, offset + bytes) declared volatile? */
static inline int wasmio__is_volatile(const wasmio_window *w, uint32_t offset, uint32_t bytes) {
  for (uint32_t i = 0; i < w->volatile_count; ++i) {
    const wasmio_range *r = &w->volatile_ranges[i];
    if (offset < r->offset + r->length && r->offset < offset + bytes) return 1;
  }
  return 0;
}

#if WASMIO__PATH_CODE == 0
#define WASMIO__ACCESSORS(bits, type)                                                     \
  static inline type wasmio_read##bits(const wasmio_window *w, uint32_t offset) {              \
    return (type)wasmio_host_reg_read##bits(wasmio__handle(w), offset);                   \
  }                                                                                       \
  static inline void wasmio_write##bits(const wasmio_window *w, uint32_t offset, type value) { \
    wasmio_host_reg_write##bits(wasmio__handle(w), offset, value);                        \
  }
#elif WASMIO__PATH_CODE == 1
#define WASMIO__ACCESSORS(bits, type)                                                     \
  static inline type wasmio_read##bits(const wasmio_window *w, uint32_t offset) {              \
    (void)wasmio__handle(w);                                                              \
    return *(volatile type *)(w->state->base + offset);                                          \
  }                                                                                       \
  static inline void wasmio_write##bits(const wasmio_window *w, uint32_t offset, type value) { \
    (void)wasmio__handle(w);                                                              \
    *(volatile type *)(w->state->base + offset) = value;                                         \
  }
#else
#define WASMIO__ACCESSORS(bits, type)                                                     \
  static inline type wasmio_read##bits(const wasmio_window *w, uint32_t offset) {              \
    if (offset > w->size || w->size - offset < sizeof(type)) __builtin_trap();            \
    if (wasmio__is_volatile(w, offset, sizeof(type))) {                                   \
      return (type)wasmio_host_reg_read##bits(wasmio__handle(w), offset);                 \
    }                                                                                     \
    type value;                                                                           \
    __builtin_memcpy(&value, w->shadow + offset, sizeof(type));                             \
    return value;                                                                         \
  }                                                                                       \
  static inline void wasmio_write##bits(const wasmio_window *w, uint32_t offset, type value) { \
    if (offset > w->size || w->size - offset < sizeof(type)) __builtin_trap();            \
    if (wasmio__is_volatile(w, offset, sizeof(type))) {                                   \
      wasmio_host_reg_write##bits(wasmio__handle(w), offset, value);                      \
      return;                                                                             \
    }                                                                                     \
    __builtin_memcpy(w->shadow + offset, &value, sizeof(type));                             \
  }
#endif

WASMIO__ACCESSORS(8, uint8_t)
WASMIO__ACCESSORS(16, uint16_t)
WASMIO__ACCESSORS(32, uint32_t)
WASMIO__ACCESSORS(64, uint64_t)
#undef WASMIO__ACCESSORS

/* Copy path: bring registers [offset, offset + length) into the shadow / write the shadow's
 * bytes back; the host skips volatile ranges and uses the window's access width. No-ops on
 * the other paths, where every access already reaches the device. */
static inline void wasmio_pull(const wasmio_window *w, uint32_t offset, uint32_t length) {
#if WASMIO__PATH_CODE == 2
  if (wasmio_host_shadow_pull(wasmio__handle(w), offset, length, w->shadow) < 0) __builtin_trap();
#else
  (void)w; (void)offset; (void)length;
#endif
}

static inline void wasmio_push(const wasmio_window *w, uint32_t offset, uint32_t length) {
#if WASMIO__PATH_CODE == 2
  if (wasmio_host_shadow_push(wasmio__handle(w), offset, length, w->shadow) < 0) __builtin_trap();
#else
  (void)w; (void)offset; (void)length;
#endif
}

/* ----------------------------------------------------------------------------------------- */
/* Properties                                                                                */
/* ----------------------------------------------------------------------------------------- */

/* Copies the raw (big-endian) property value into dst; returns its full length, < 0 when the
 * property was not declared with WASMIO_PROPERTY or the peripheral is absent. */
static inline uint32_t wasmio__strlen(const char *s) {
  uint32_t n = 0; /* not __builtin_strlen: unoptimised builds would import a libc strlen */
  while (s[n] != 0) ++n;
  return n;
}

static inline int32_t wasmio_property_read(const char *label, const char *name, void *dst,
                                           uint32_t dst_len) {
  return wasmio_host_property_read(label, wasmio__strlen(label), name, wasmio__strlen(name), dst,
                                   dst_len);
}

/* A one-cell property (e.g. clock-frequency) as a number, or `fallback`. */
static inline uint32_t wasmio_property_u32(const char *label, const char *name, uint32_t fallback) {
  uint8_t cell[4];
  if (wasmio_property_read(label, name, cell, 4) != 4) return fallback;
  return (uint32_t)cell[0] << 24 | (uint32_t)cell[1] << 16 | (uint32_t)cell[2] << 8 | cell[3];
}

#ifdef __cplusplus
}
#endif

#endif /* WASMIO_DRIVER_H */
