// The first demo module: plain computation, a trap deep in a call chain (for the backtrace) and a
// loop that never ends (stopped by the fuel budget). Freestanding C compiled to wasm32.
#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("fib") int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned char sieve[1 << 20];

EXPORT("primes_below") int primes_below(int limit) {
  if (limit > (int)sizeof(sieve)) limit = sizeof(sieve);
  int count = 0;
  for (int i = 2; i < limit; ++i) sieve[i] = 1;
  for (int i = 2; i < limit; ++i) {
    if (!sieve[i]) continue;
    ++count;
    for (int j = 2 * i; j < limit; j += i) sieve[j] = 0;
  }
  return count;
}

__attribute__((noinline)) static int divide(int a, int b) { return a / b; }
__attribute__((noinline)) static int average(int total, int count) { return divide(total, count); }

EXPORT("checked_average") int checked_average(int total, int count) { return average(total, count); }

EXPORT("spin") int spin(int seed) {
  volatile int x = seed;
  for (;;) x = x * 1103515245 + 12345;
  return x;
}
