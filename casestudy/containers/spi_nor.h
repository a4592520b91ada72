/* Synchronous W25Q-family SPI NOR flash on a PL022 (polled, 8-bit frames, SPI mode 3), chip
 * select on an FPGAIO MISC bit: the register-level commands the case study's data logger
 * needs. Every wait is bounded: a function that gives up returns NOR_ETIMEOUT instead of
 * spinning into the caller's budget. */
#ifndef CASESTUDY_SPI_NOR_H
#define CASESTUDY_SPI_NOR_H

#include <stdint.h>

#define NOR_ETIMEOUT -1
#define NOR_STATUS_BUSY 0x01u
#define NOR_STATUS_WEL 0x02u
#define NOR_SECTOR 4096u
#define NOR_PAGE 256u

/* Deselects the flash, sets the PL022 up and empties its receive FIFO. 0 or NOR_ETIMEOUT
 * (-2 when the board did not grant the controller). */
int32_t nor_init(void);
/* RDID: manufacturer, memory type, capacity. */
int32_t nor_jedec_id(uint8_t id[3]);
/* RDSR1 (also answered while a program or erase runs); < 0 on timeout. */
int32_t nor_status(void);
/* Polls RDSR1 until BUSY clears, at most `polls` times. 0 or NOR_ETIMEOUT. */
int32_t nor_wait_ready(uint32_t polls);
int32_t nor_read(uint32_t address, uint8_t *out, uint32_t length);
/* WREN + PP of head then data (together at most one page, not crossing it); does not wait. */
int32_t nor_program(uint32_t address, const uint8_t *head, uint32_t head_length,
                    const uint8_t *data, uint32_t length);
/* WREN + sector erase (4 KiB) or 64 KiB block erase; do not wait (45 / 150 ms typical). */
int32_t nor_erase_sector(uint32_t address);
int32_t nor_erase_block64(uint32_t address);

#endif
