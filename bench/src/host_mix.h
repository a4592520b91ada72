/* The host function behind the hostcall kernel's import bench.host_mix (i32, i32) -> i32. */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint32_t bench_host_mix(uint32_t acc, uint32_t value);
/* What the native build of kernels/hostcall.c calls; volatile so it is never inlined. */
extern uint32_t (*volatile bench_import_host_mix)(uint32_t, uint32_t);

#ifdef __cplusplus
}
#endif
