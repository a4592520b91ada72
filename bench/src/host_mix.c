/* The host function of the hostcall kernel, shared by both sides: the Wasm import adapter calls
 * it from the engine, the native kernel through the pointer below. Same work either way, so the
 * difference is the cost of the call itself. */
#include "host_mix.h"

uint32_t bench_host_mix(uint32_t acc, uint32_t value) { return (acc ^ value) * 16777619u + 1u; }

uint32_t (*volatile bench_import_host_mix)(uint32_t, uint32_t) = bench_host_mix;
