/* SPI NOR flash (jedec,spi-nor) on the shield-0 PL022 of mps2-an385-dma: register setup and
 * chip select by register access, the byte stream by one async full-duplex transfer. */
#include "spi_flash.h"

#include <wasmio/async.h>
#include <wasmio/driver.h>

#define SSP_CR0 0x00
#define SSP_CR1 0x04
#define SSP_CPSR 0x10
#define SSP_CR1_SSE 0x2u
#define SSP_CR0_8BIT_MODE3 0x00C7u /* DSS 7, FRF Motorola, SPO 1, SPH 1, SCR 0 */
#define FPGAIO_MISC 0x4C
#define MISC_SHIELD0_NCS (1u << 8)

WASMIO_PERIPHERAL(flash_bus, "arm,pl022");
WASMIO_WINDOW(flash_bus, 0, 0x28, WASMIO_ACCESS_32, WASMIO_VOLATILE(0x08, 8), WASMIO_VOLATILE(0x18, 12));
WASMIO_PERIPHERAL(chip_select, "arm,mps2-fpgaio");
WASMIO_WINDOW(chip_select, 0, 0x50, WASMIO_ACCESS_32, WASMIO_VOLATILE(0x00, 0x50));

int32_t spi_flash_init(void) {
  const wasmio_window *ssp = WASMIO_WIN(flash_bus, 0);
  if (wasmio_window_resolve(ssp) < 0 || wasmio_window_resolve(WASMIO_WIN(chip_select, 0)) < 0) {
    return -1;
  }
  spi_flash_select(0);
  wasmio_write32(ssp, SSP_CR1, 0);
  wasmio_write32(ssp, SSP_CR0, SSP_CR0_8BIT_MODE3);
  wasmio_write32(ssp, SSP_CPSR, 2);
  /* Copy path: the host's transfers read the device, not the shadow; disabled first, then SSE. */
  wasmio_push(ssp, SSP_CR0, SSP_CPSR + 4);
  wasmio_write32(ssp, SSP_CR1, SSP_CR1_SSE);
  wasmio_push(ssp, SSP_CR1, 4);
  return 0;
}

void spi_flash_select(int32_t selected) {
  const wasmio_window *cs = WASMIO_WIN(chip_select, 0);
  const uint32_t misc = wasmio_read32(cs, FPGAIO_MISC);
  wasmio_write32(cs, FPGAIO_MISC, selected ? (misc & ~MISC_SHIELD0_NCS) : (misc | MISC_SHIELD0_NCS));
}

int32_t spi_flash_jedec_start(uint8_t *buf, uint32_t events) {
  buf[0] = 0x9F;
  buf[1] = buf[2] = buf[3] = 0;
  return spi_flash_command_start(buf, 4, events);
}

int32_t spi_flash_command_start(uint8_t *buf, uint32_t len, uint32_t events) {
  return wasmio_spi_transfer(wasmio_window_resolve(WASMIO_WIN(flash_bus, 0)), buf, buf, len, events);
}

static void address_header(uint8_t *buf, uint8_t opcode, uint32_t addr) {
  buf[0] = opcode;
  buf[1] = (uint8_t)(addr >> 16);
  buf[2] = (uint8_t)(addr >> 8);
  buf[3] = (uint8_t)addr;
}

int32_t spi_flash_read_start(uint8_t *buf, uint32_t addr, uint32_t len, uint32_t events) {
  address_header(buf, 0x03, addr);
  for (uint32_t i = 0; i < len; ++i) buf[SPI_FLASH_HEADER + i] = 0;
  return spi_flash_command_start(buf, SPI_FLASH_HEADER + len, events);
}

int32_t spi_flash_program_start(uint8_t *buf, uint32_t addr, uint32_t len, uint32_t events) {
  address_header(buf, 0x02, addr);
  return spi_flash_command_start(buf, SPI_FLASH_HEADER + len, events);
}
