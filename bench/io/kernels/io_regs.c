/* Register-access kernels for `bench/run io`: the same source is built as a wasm32 driver for
 * each access path and natively (against bench/io/native/wasmio/driver.h) for the baseline.
 * Reads and writes cycle over 8 consecutive 32-bit registers; on the copy path each batch of 8
 * is one pull (reads) or one push (writes), which is how that path is meant to be used. */
#include <wasmio/driver.h>

#ifdef __wasm__
#define IO_EXPORT(name) __attribute__((export_name(#name)))
#else
#define IO_EXPORT(name)
#endif

#define BATCH 8
#define BLOCK_BYTES (BATCH * 4)

WASMIO_DRIVER("io-bench");
WASMIO_PERIPHERAL(regs, "arm,mps2-fpgaio");
WASMIO_WINDOW(regs, 0, BLOCK_BYTES, WASMIO_ACCESS_32);

/* `n` reads (a multiple of 8); returns their sum so none can be dropped. */
IO_EXPORT(read_loop) uint32_t io_read_loop(uint32_t n) {
  const wasmio_window *w = WASMIO_WIN(regs, 0);
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i += BATCH) {
    wasmio_pull(w, 0, BLOCK_BYTES);
    for (uint32_t r = 0; r < BATCH; ++r) sum += wasmio_read32(w, r * 4);
  }
  return sum;
}

/* `n` writes (a multiple of 8). */
IO_EXPORT(write_loop) void io_write_loop(uint32_t n) {
  const wasmio_window *w = WASMIO_WIN(regs, 0);
  for (uint32_t i = 0; i < n; i += BATCH) {
    for (uint32_t r = 0; r < BATCH; ++r) wasmio_write32(w, r * 4, i + r);
    wasmio_push(w, 0, BLOCK_BYTES);
  }
}

/* The same loop shape on ordinary linear memory: what the Wasm code around an access costs by
 * itself, so the access mechanism's own cost can be told apart. */
static volatile uint32_t plain_block[BATCH];

IO_EXPORT(plain_read_loop) uint32_t io_plain_read_loop(uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i += BATCH) {
    for (uint32_t r = 0; r < BATCH; ++r) sum += plain_block[r];
  }
  return sum;
}

IO_EXPORT(plain_write_loop) void io_plain_write_loop(uint32_t n) {
  for (uint32_t i = 0; i < n; i += BATCH) {
    for (uint32_t r = 0; r < BATCH; ++r) plain_block[r] = i + r;
  }
}

#if WASMIO__PATH_CODE == 1
/* Mapped path only: the same pointer loop over the window and over linear memory, so the
 * difference is the cost of the mapped access itself (no accessor code around it). */
IO_EXPORT(pointer_read_loop) uint32_t io_pointer_read_loop(uint32_t n, uint32_t use_window) {
  const wasmio_window *w = WASMIO_WIN(regs, 0);
  if (wasmio_window_resolve(w) < 0) return 0;
  volatile uint32_t *p = use_window ? (volatile uint32_t *)w->state->base : plain_block;
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) sum += p[i & (BATCH - 1)];
  return sum;
}
#endif

/* Raw register loops (io native-raw / mapped-raw / linear-raw): plain volatile accesses through
 * a pointer to the register block, no accessor, eight per iteration — what a C driver does with
 * a register struct. Natively `p` is the host mapping; in the mapped build it is the window's
 * guest address (window_base) or a block of linear memory (linear_block). */
#if !defined(__wasm__) || WASMIO__PATH_CODE == 1
IO_EXPORT(raw_read_loop) uint32_t io_raw_read_loop(volatile uint32_t *p, uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i += BATCH) {
    sum += p[0];
    sum += p[1];
    sum += p[2];
    sum += p[3];
    sum += p[4];
    sum += p[5];
    sum += p[6];
    sum += p[7];
  }
  return sum;
}

IO_EXPORT(raw_write_loop) void io_raw_write_loop(volatile uint32_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i += BATCH) {
    p[0] = i;
    p[1] = i + 1;
    p[2] = i + 2;
    p[3] = i + 3;
    p[4] = i + 4;
    p[5] = i + 5;
    p[6] = i + 6;
    p[7] = i + 7;
  }
}
#endif

#if WASMIO__PATH_CODE == 1
IO_EXPORT(window_base) uint32_t io_window_base(void) {
  const wasmio_window *w = WASMIO_WIN(regs, 0);
  if (wasmio_window_resolve(w) < 0) return 0;
  return (uint32_t)(uintptr_t)w->state->base;
}

IO_EXPORT(linear_block) uint32_t io_linear_block(void) { return (uint32_t)(uintptr_t)plain_block; }
#endif

/* Ordinary linear-memory traffic, for the check that a mapped window costs it nothing. */
static volatile uint32_t scratch[1024];

IO_EXPORT(memory_loop) uint32_t io_memory_loop(uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; ++i) {
    scratch[i & 1023] = i;
    sum += scratch[(i * 7) & 1023];
  }
  return sum;
}
