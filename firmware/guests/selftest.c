// Guest for the firmware self-test: computation, a trap deep in a call chain, and a loop that
// only fuel or a preemption request can stop. Small: one 64 KiB page, 4 KiB of C stack.
// The firmware also links this file natively (EXPORT defined empty) to compare results.
#ifndef EXPORT
#define EXPORT(name) __attribute__((export_name(name)))
#endif

EXPORT("fib") int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

EXPORT("crc32") unsigned crc32(unsigned length) {
  static unsigned table[256];
  static unsigned char data[4096];
  for (unsigned i = 0; i < 256; ++i) {
    unsigned c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  if (length > sizeof(data)) length = sizeof(data);
  for (unsigned i = 0; i < length; ++i) data[i] = (unsigned char)(i * 31 + 7);
  unsigned crc = 0xFFFFFFFFu;
  for (unsigned i = 0; i < length; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

__attribute__((noinline)) static int divide(int a, int b) { return a / b; }
EXPORT("average") int average(int total, int count) { return divide(total, count); }

// Counts iterations into memory so a resumed run can be checked for continuity.
static volatile unsigned progress;
EXPORT("count_to") unsigned count_to(unsigned n) {
  progress = 0;
  for (unsigned i = 0; i < n; ++i) progress = progress + 1;
  return progress;
}

EXPORT("spin") int spin(void) {
  for (;;) progress = progress * 1103515245u + 12345u;
  return 0;
}
