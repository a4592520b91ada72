/* CMSDK timer, polled: delays of a given length. */
#include <wasmio/driver.h>

#include "../cmsdk_timer/cmsdk_timer.h"

WASMIO_DRIVER("cmsdk-timer-delay");

/* Waits `us` microseconds of board time; returns the status polls it took. */
__attribute__((export_name("delay"))) uint32_t delay(uint32_t us) { return timer_delay_us(us); }

__attribute__((export_name("main"))) int32_t main_entry(void) {
  return (int32_t)timer_delay_us(1000);
}
