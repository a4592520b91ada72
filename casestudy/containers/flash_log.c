/* Data logger on the W25Q16JV SPI NOR flash (shield-0 PL022 of mps2-an385-dma), exporting
 * storage.log 1.0 (casestudy.h). Start-up checks the JEDEC ID and refuses any other chip (every
 * op but status then returns LOG_ERR_IDENTITY), then finds the log's end in the flash, so a
 * restarted driver continues the numbering.
 *
 * Layout: the first 64 KiB of the flash, 16 sectors of 64 slots of 64 bytes; slot n % 1024
 * holds record n as { uint32 n; uint8 length; data }, an erased slot reads n = 0xFFFFFFFF. A
 * sector holds consecutive numbers, so the newest sector is the one whose first number is
 * highest. When the last slot of a sector is written the next sector is erased ahead (45 ms,
 * the ring drops its oldest 64 records); an append finding its slot not erased starts that
 * erase itself and answers busy.
 * Variants: FLASH_FAULT_EVERY=n traps in every n-th append, FLASH_OVERRUN_EVERY=n never returns
 * from it (counted from the driver's start), for the tests. */
#include <wasmio/driver.h>
#include <wasmio/irq.h>
#include <wasmio/service.h>

#include "casestudy.h"
#include "spi_nor.h"

WASMIO_DRIVER("flash-log");

#define SECTORS 16u
#define SLOT 64u
#define SLOTS_PER_SECTOR (NOR_SECTOR / SLOT)
#define SLOTS (SECTORS * SLOTS_PER_SECTOR)
#define HEADER 5u
#define ERASED 0xFFFFFFFFu
/* A page program takes 0.4 ms: ~50 status reads on the host-call path. */
#define PROGRAM_POLLS 400u
/* At start-up a restart may find an erase running (up to 150 ms). */
#define STARTUP_POLLS 100000u

static const uint8_t expected_id[3] = {0xEF, 0x40, 0x15}; /* Winbond, SPI NOR, 16 Mbit */
static uint8_t message[LOG_RECORD_MAX + 4];
static uint8_t slot[HEADER + LOG_RECORD_MAX];
static uint8_t id[3];
static uint32_t serving, next, oldest, appends;

static uint32_t slot_address(uint32_t number) { return (number % SLOTS) * SLOT; }

static uint32_t number_at(uint32_t address) {
  uint32_t number = ERASED;
  if (nor_read(address, (uint8_t *)&number, 4) != 0) return ERASED;
  return number;
}

/* The sector that will hold record `first` (a multiple of 64) is erased: its old records go. */
static int32_t recycle_sector(uint32_t first) {
  if (first + SLOTS_PER_SECTOR > SLOTS && first + SLOTS_PER_SECTOR - SLOTS > oldest) {
    oldest = first + SLOTS_PER_SECTOR - SLOTS;
  }
  return nor_erase_sector(slot_address(first));
}

static void find_end(void) {
  uint32_t newest_sector = 0, newest_first = 0, found = 0;
  oldest = ERASED;
  for (uint32_t s = 0; s < SECTORS; ++s) {
    const uint32_t first = number_at(s * NOR_SECTOR);
    if (first == ERASED) continue;
    if (!found || first > newest_first) {
      newest_first = first;
      newest_sector = s;
    }
    if (first < oldest) oldest = first;
    found = 1;
  }
  if (!found) {
    next = oldest = 0;
    return;
  }
  /* Slots [0, lo] of the newest sector are written, [hi, 64) erased. */
  uint32_t lo = 0, hi = SLOTS_PER_SECTOR;
  while (hi - lo > 1) {
    const uint32_t mid = (lo + hi) / 2;
    if (number_at(newest_sector * NOR_SECTOR + mid * SLOT) != ERASED) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  next = newest_first + lo + 1;
}

static int32_t append(uint32_t length) {
  if (length == 0 || length > LOG_RECORD_MAX) return LOG_ERR_REQUEST;
  ++appends;
#ifdef FLASH_FAULT_EVERY
  if (appends % FLASH_FAULT_EVERY == 0) __builtin_trap();
#endif
#ifdef FLASH_OVERRUN_EVERY
  if (appends % FLASH_OVERRUN_EVERY == 0) {
    for (volatile uint32_t i = 0;; i = i + 1) {
    }
  }
#endif
  const int32_t status = nor_status();
  if (status < 0) return LOG_ERR_DEVICE;
  if (status & NOR_STATUS_BUSY) return LOG_ERR_BUSY;
  const uint32_t address = slot_address(next);
  if (number_at(address) != ERASED) {
    if (recycle_sector(next - next % SLOTS_PER_SECTOR) != 0) return LOG_ERR_DEVICE;
    return LOG_ERR_BUSY;
  }
  cs_copy(slot, &next, 4);
  slot[4] = (uint8_t)length;
  if (nor_program(address, slot, HEADER, message, length) != 0 ||
      nor_wait_ready(PROGRAM_POLLS) != 0 || number_at(address) != next) {
    return LOG_ERR_DEVICE;
  }
  cs_copy(message, &next, 4);
  ++next;
  if (next % SLOTS_PER_SECTOR == 0 && number_at(slot_address(next)) != ERASED) {
    recycle_sector(next); /* a failure shows at the next append */
  }
  return 4;
}

static int32_t read_record(uint32_t request_length) {
  uint32_t number;
  if (request_length != 4) return LOG_ERR_REQUEST;
  cs_copy(&number, message, 4);
  if (number >= next || number < oldest) return LOG_ERR_RANGE;
  const int32_t status = nor_status();
  if (status < 0) return LOG_ERR_DEVICE;
  if (status & NOR_STATUS_BUSY) return LOG_ERR_BUSY;
  if (nor_read(slot_address(number), slot, sizeof slot) != 0) return LOG_ERR_DEVICE;
  uint32_t stored;
  cs_copy(&stored, slot, 4);
  if (stored != number || slot[4] == 0 || slot[4] > LOG_RECORD_MAX) return LOG_ERR_CORRUPT;
  cs_copy(message, slot + HEADER, slot[4]);
  return slot[4];
}

static int32_t erase_all(void) {
  const int32_t status = nor_status();
  if (status < 0) return LOG_ERR_DEVICE;
  if (status & NOR_STATUS_BUSY) return LOG_ERR_BUSY;
  if (nor_erase_block64(0) != 0) return LOG_ERR_DEVICE;
  next = oldest = 0;
  return 0;
}

WASMIO_SERVICE_PROVIDE(SVC_LOG, 1, 0, on_log, 30000, LOG_RECORD_MAX, LOG_RECORD_MAX) {
  if (op == LOG_OP_STATUS) {
    cs_copy(message, &serving, 4);
    cs_copy(message + 4, id, 3);
    message[7] = 0;
    return 8;
  }
  if (!serving) return LOG_ERR_IDENTITY;
  if (op == LOG_OP_APPEND) return append(request_length);
  if (op == LOG_OP_READ) return read_record(request_length);
  if (op == LOG_OP_COUNT) {
    const uint32_t capacity = SLOTS;
    cs_copy(message, &next, 4);
    cs_copy(message + 4, &oldest, 4);
    cs_copy(message + 8, &capacity, 4);
    return 12;
  }
  if (op == LOG_OP_ERASE) return erase_all();
  return LOG_ERR_OP;
}

/* Also the native baseline's entry. */
__attribute__((export_name("flash_start"))) void flash_start(void) {
  appends = 0;
  if (nor_init() != 0 || nor_jedec_id(id) != 0) return; /* no flash: callers get "unavailable" */
  serving = id[0] == expected_id[0] && id[1] == expected_id[1] && id[2] == expected_id[2];
  /* `size` is in bits (jedec,spi-nor): a chip too small for the log is not served. */
  if (wasmio_property_u32("flash", "size", 0) / 8u < SECTORS * NOR_SECTOR) return;
  if (serving) {
    if (nor_wait_ready(STARTUP_POLLS) != 0) return;
    find_end();
  }
  wasmio_service_ready(SVC_LOG, SVC_LEN(SVC_LOG), message, sizeof message);
}

/* Under the "notify" policy a failed call withdraws the service: start over. */
__attribute__((export_name("main"))) void flash_main(void) {
  flash_start();
  for (;;) {
    if (wasmio_event_wait(WASMIO_EVENT_FAULT) & WASMIO_EVENT_FAULT) flash_start();
  }
}
