/* A W25Q-family SPI NOR flash on a PL022, chip select on an FPGAIO MISC bit, with transfers
 * through the async I/O service. */
#ifndef WASMIO_DRIVERS_ASYNC_SPI_FLASH_H
#define WASMIO_DRIVERS_ASYNC_SPI_FLASH_H

#include <stdint.h>

#define SPI_FLASH_HEADER 4 /* opcode + 24-bit address in front of the data */

/* PL022: 8-bit Motorola frames, mode 3, SSPCLK / 2; chip select released. 0 or -1. */
int32_t spi_flash_init(void);
/* Chip select (the driver holds it across one transfer). */
void spi_flash_select(int32_t selected);
/* Start RDID (JEDEC ID) in place on buf[0..4): buf[1..3] = manufacturer, type, capacity. */
int32_t spi_flash_jedec_start(uint8_t *buf, uint32_t events);
/* Start any command of len bytes in place on buf (WREN: 06; RDSR: 05 00 -> buf[1] status). */
int32_t spi_flash_command_start(uint8_t *buf, uint32_t len, uint32_t events);
/* Start PAGE PROGRAM of buf[4..4+len) at addr (WREN first; the page wraps at 256 bytes). */
int32_t spi_flash_program_start(uint8_t *buf, uint32_t addr, uint32_t len, uint32_t events);
/* Start READ of len bytes at addr in place on buf[0..4+len): data at buf + SPI_FLASH_HEADER. */
int32_t spi_flash_read_start(uint8_t *buf, uint32_t addr, uint32_t len, uint32_t events);

#endif
