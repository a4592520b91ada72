/* The board demo: reads the TMP105 over bit-banged I2C, prints the temperature over the UART and
 * blinks the FPGAIO LEDs, pacing itself with the CMSDK timer. Four drivers, one container. */
#include <wasmio/driver.h>

#include "../cmsdk_timer/cmsdk_timer.h"
#include "../cmsdk_uart/cmsdk_uart.h"
#include "../fpgaio/fpgaio.h"
#include "../tmp105/tmp105.h"

WASMIO_DRIVER("board-demo");

#define ROUNDS 4
#define PERIOD_US 100000u /* 100 ms of board time per round */

__attribute__((export_name("main"))) int32_t main_entry(void) {
  int32_t mc = 0;
  if (uart_init() != 0) return -1;
  uart_puts("wasmio board demo: TMP105 on bit-banged I2C, LEDs on FPGAIO\r\n");
  if (tmp105_init() != 0) {
    uart_puts("tmp105: no answer on the bus\r\n");
    return -2;
  }
  for (uint32_t round = 0; round < ROUNDS; ++round) {
    if (tmp105_read_mc(&mc) != 0) {
      uart_puts("tmp105: read failed\r\n");
      return -3;
    }
    uart_puts("temperature: ");
    uart_put_decimal(mc / 10, 2);
    uart_puts(" C\r\n");
    leds_set(1u << (round & 1u));
    timer_delay_us(PERIOD_US);
  }
  leds_set(0);
  return mc;
}
