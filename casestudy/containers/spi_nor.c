/* W25Q commands over a polled PL022 (spi_nor.h). The controller is the bus the flash node sits
 * on: the loader pins `flash_bus` to it (io/container/bus_pins.h), as it does for I2C. */
#include "spi_nor.h"

#include <wasmio/driver.h>

#define SSP_CR0 0x00
#define SSP_CR1 0x04
#define SSP_DR 0x08
#define SSP_SR 0x0C
#define SSP_CPSR 0x10
#define SSP_CR1_SSE 0x2u
#define SSP_CR0_8BIT_MODE3 0x00C7u /* DSS 7, FRF Motorola, SPO 1, SPH 1, SCR 0 */
#define SSP_SR_RNE 0x4u
#define SSP_FIFO 8u
#define FPGAIO_MISC 0x4C
#define MISC_SHIELD0_NCS (1u << 8)
/* A byte takes 16 cycles on the wire; a few status reads cover it. */
#define SPIN_LIMIT 64u

#define CMD_WREN 0x06
#define CMD_RDSR1 0x05
#define CMD_RDID 0x9F
#define CMD_READ 0x03
#define CMD_PP 0x02
#define CMD_SE 0x20
#define CMD_BE64 0xD8

WASMIO_PERIPHERAL(flash, "winbond,w25q16jv", "jedec,spi-nor");
WASMIO_PROPERTY(flash, "size");
WASMIO_PERIPHERAL(flash_bus, "arm,pl022");
WASMIO_WINDOW(flash_bus, 0, 0x28, WASMIO_ACCESS_32, WASMIO_VOLATILE(0x08, 8), WASMIO_VOLATILE(0x18, 12));
WASMIO_PERIPHERAL(chip_select, "arm,mps2-fpgaio");
WASMIO_WINDOW(chip_select, 0, 0x50, WASMIO_ACCESS_32, WASMIO_VOLATILE(0x00, 0x50));

static void select_flash(int selected) {
  const wasmio_window *cs = WASMIO_WIN(chip_select, 0);
  const uint32_t misc = wasmio_read32(cs, FPGAIO_MISC);
  wasmio_write32(cs, FPGAIO_MISC, selected ? (misc & ~MISC_SHIELD0_NCS) : (misc | MISC_SHIELD0_NCS));
}

/* Full duplex through the FIFO, up to 8 frames in flight; `out` 0 sends zeros, `in` 0 drops. */
static int32_t exchange(const uint8_t *out, uint8_t *in, uint32_t length) {
  const wasmio_window *ssp = WASMIO_WIN(flash_bus, 0);
  while (length > 0) {
    const uint32_t chunk = length < SSP_FIFO ? length : SSP_FIFO;
    for (uint32_t i = 0; i < chunk; ++i) wasmio_write32(ssp, SSP_DR, out ? out[i] : 0);
    for (uint32_t i = 0; i < chunk; ++i) {
      uint32_t spins = 0;
      while ((wasmio_read32(ssp, SSP_SR) & SSP_SR_RNE) == 0) {
        if (++spins > SPIN_LIMIT) return NOR_ETIMEOUT;
      }
      const uint8_t b = (uint8_t)wasmio_read32(ssp, SSP_DR);
      if (in) in[i] = b;
    }
    if (out) out += chunk;
    if (in) in += chunk;
    length -= chunk;
  }
  return 0;
}

/* One command: opcode (+ 24-bit address when `address` >= 0), then `length` bytes out of
 * `out` and/or into `in`, all under one chip select. */
static int32_t command(uint8_t opcode, int64_t address, const uint8_t *out, uint8_t *in,
                       uint32_t length) {
  uint8_t header[4] = {opcode, (uint8_t)(address >> 16), (uint8_t)(address >> 8), (uint8_t)address};
  select_flash(1);
  int32_t r = exchange(header, 0, address >= 0 ? 4 : 1);
  if (r == 0 && length > 0) r = exchange(out, in, length);
  select_flash(0);
  return r;
}

int32_t nor_init(void) {
  const wasmio_window *ssp = WASMIO_WIN(flash_bus, 0);
  if (wasmio_window_resolve(ssp) < 0 || wasmio_window_resolve(WASMIO_WIN(chip_select, 0)) < 0) {
    return -2;
  }
  select_flash(0); /* a restart may find it selected mid-command */
  wasmio_write32(ssp, SSP_CR1, 0);
  wasmio_write32(ssp, SSP_CR0, SSP_CR0_8BIT_MODE3);
  wasmio_write32(ssp, SSP_CPSR, 2);
  wasmio_write32(ssp, SSP_CR1, SSP_CR1_SSE);
  for (uint32_t i = 0; i < SSP_FIFO && (wasmio_read32(ssp, SSP_SR) & SSP_SR_RNE); ++i) {
    (void)wasmio_read32(ssp, SSP_DR);
  }
  return 0;
}

int32_t nor_jedec_id(uint8_t id[3]) { return command(CMD_RDID, -1, 0, id, 3); }

int32_t nor_status(void) {
  uint8_t status = 0;
  if (command(CMD_RDSR1, -1, 0, &status, 1) != 0) return NOR_ETIMEOUT;
  return status;
}

int32_t nor_wait_ready(uint32_t polls) {
  for (uint32_t i = 0; i < polls; ++i) {
    const int32_t status = nor_status();
    if (status < 0) return NOR_ETIMEOUT;
    if ((status & NOR_STATUS_BUSY) == 0) return 0;
  }
  return NOR_ETIMEOUT;
}

int32_t nor_read(uint32_t address, uint8_t *out, uint32_t length) {
  return command(CMD_READ, address, 0, out, length);
}

static int32_t write_enable(void) { return command(CMD_WREN, -1, 0, 0, 0); }

int32_t nor_program(uint32_t address, const uint8_t *head, uint32_t head_length,
                    const uint8_t *data, uint32_t length) {
  if (write_enable() != 0) return NOR_ETIMEOUT;
  uint8_t header[4] = {CMD_PP, (uint8_t)(address >> 16), (uint8_t)(address >> 8), (uint8_t)address};
  select_flash(1);
  int32_t r = exchange(header, 0, 4);
  if (r == 0) r = exchange(head, 0, head_length);
  if (r == 0 && length > 0) r = exchange(data, 0, length);
  select_flash(0); /* the program starts here */
  return r;
}

int32_t nor_erase_sector(uint32_t address) {
  if (write_enable() != 0) return NOR_ETIMEOUT;
  return command(CMD_SE, address, 0, 0, 0);
}

int32_t nor_erase_block64(uint32_t address) {
  if (write_enable() != 0) return NOR_ETIMEOUT;
  return command(CMD_BE64, address, 0, 0, 0);
}
