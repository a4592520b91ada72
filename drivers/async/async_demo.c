/* The async drivers in one container, exported for the host to drive step by step (tests and
 * `wasmio run`): start an operation, let the board run, collect the result. Event bits: 1 UART
 * TX, 2 UART RX, 4 SPI, 8 I2C. */
#include <wasmio/async.h>
#include <wasmio/driver.h>

#include "spi_flash.h"
#include "tmp105_async.h"
#include "uart_block.h"

WASMIO_DRIVER("async-demo");

static const char greeting[] = "async I/O: this line left linear memory in one transfer\r\n";
static uint8_t rx_buffer[64];
static uint8_t spi_buffer[SPI_FLASH_HEADER + 256];
static uint8_t temperature_raw[2];
static uint32_t last_done;

__attribute__((export_name("init"))) int32_t init(void) {
  if (uart_block_init() != 0) return -1;
  return spi_flash_init();
}

__attribute__((export_name("uart_send"))) int32_t uart_send(void) {
  return uart_block_write(greeting, sizeof(greeting) - 1, 1);
}
__attribute__((export_name("uart_receive"))) int32_t uart_receive(uint32_t len) {
  return uart_block_read(rx_buffer, len <= sizeof(rx_buffer) ? len : sizeof(rx_buffer), 2);
}
__attribute__((export_name("flash_jedec"))) int32_t flash_jedec(void) {
  spi_flash_select(1);
  return spi_flash_jedec_start(spi_buffer, 4);
}
__attribute__((export_name("flash_read"))) int32_t flash_read(uint32_t addr, uint32_t len) {
  if (len > sizeof(spi_buffer) - SPI_FLASH_HEADER) return WASMIO_ASYNC_INVALID;
  spi_flash_select(1);
  return spi_flash_read_start(spi_buffer, addr, len, 4);
}
__attribute__((export_name("temperature_start"))) int32_t temperature_start(void) {
  return tmp105_async_start(temperature_raw, 8);
}

/* The op's final status (releasing the SPI chip select after an SPI op), or RUNNING. */
__attribute__((export_name("finish"))) int32_t finish(int32_t op, int32_t spi) {
  const int32_t status = wasmio_async_result(op, &last_done);
  if (status != WASMIO_ASYNC_RUNNING && spi) spi_flash_select(0);
  return status;
}
__attribute__((export_name("cancel"))) int32_t cancel(int32_t op) { return wasmio_async_cancel(op); }
__attribute__((export_name("bytes_done"))) uint32_t bytes_done(void) { return last_done; }
__attribute__((export_name("temperature_mc"))) int32_t temperature_mc(void) {
  return tmp105_async_millicelsius(temperature_raw);
}
/* Guest offsets of the buffers, so the host can look at them. */
__attribute__((export_name("rx_buffer"))) uint32_t rx_buffer_at(void) { return (uint32_t)(uintptr_t)rx_buffer; }
__attribute__((export_name("spi_buffer"))) uint32_t spi_buffer_at(void) { return (uint32_t)(uintptr_t)spi_buffer; }
__attribute__((export_name("greeting"))) uint32_t greeting_at(void) { return (uint32_t)(uintptr_t)greeting; }
