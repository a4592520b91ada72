/* Program and verify one page of the SPI NOR flash with every step chained from the async
 * completion handler (interrupt level), as a Zephyr SPI callback or a Tock capsule's client
 * would: JEDEC ID, write enable, page program, status polled until not busy, read back and
 * compare. On the -dma board each step is one full-duplex transfer through the PL081. The task
 * only starts the chain, waits for the handler's event, and reports over the UART with a
 * task-level completion: both completion levels in one driver. */
#include <wasmio/async.h>
#include <wasmio/driver.h>
#include <wasmio/irq.h>

#include "spi_flash.h"
#include "uart_block.h"

WASMIO_DRIVER("flash-verify");

#define EV_CHAIN_ENDED 0x1u
#define EV_REPORT_SENT 0x2u
#define PAGE_ADDRESS 0x002000u
#define PAGE_BYTES 256u

enum step { STEP_JEDEC, STEP_WRITE_ENABLE, STEP_PROGRAM, STEP_POLL, STEP_READ, STEP_DONE, STEP_FAILED };

static uint8_t buffer[SPI_FLASH_HEADER + PAGE_BYTES];
static enum step step;
static int32_t spi_op;
static int32_t failure;  /* the status of a failed step, or a refused start */
static uint32_t polls, handler_runs, jedec;
static char report[96];

static uint8_t pattern(uint32_t i) { return (uint8_t)(i * 37u + 11u); }

static void start_step(void) {
  spi_flash_select(1);
  switch (step) {
    case STEP_JEDEC:
      spi_op = spi_flash_jedec_start(buffer, WASMIO_ASYNC_IRQ);
      break;
    case STEP_WRITE_ENABLE:
      buffer[0] = 0x06;
      spi_op = spi_flash_command_start(buffer, 1, WASMIO_ASYNC_IRQ);
      break;
    case STEP_PROGRAM:
      for (uint32_t i = 0; i < PAGE_BYTES; ++i) buffer[SPI_FLASH_HEADER + i] = pattern(i);
      spi_op = spi_flash_program_start(buffer, PAGE_ADDRESS, PAGE_BYTES, WASMIO_ASYNC_IRQ);
      break;
    case STEP_POLL:
      buffer[0] = 0x05;
      buffer[1] = 0;
      spi_op = spi_flash_command_start(buffer, 2, WASMIO_ASYNC_IRQ);
      break;
    case STEP_READ:
      spi_op = spi_flash_read_start(buffer, PAGE_ADDRESS, PAGE_BYTES, WASMIO_ASYNC_IRQ);
      break;
    default:
      return;
  }
  if (spi_op < 0) {
    spi_flash_select(0);
    failure = spi_op;
    step = STEP_FAILED;
    wasmio_event_post(EV_CHAIN_ENDED);
  }
}

/* The step that follows a completed one. */
static enum step next_step(void) {
  switch (step) {
    case STEP_JEDEC:
      jedec = (uint32_t)buffer[1] << 16 | (uint32_t)buffer[2] << 8 | buffer[3];
      return jedec == 0xEF4015u ? STEP_WRITE_ENABLE : STEP_FAILED;
    case STEP_WRITE_ENABLE:
      return STEP_PROGRAM;
    case STEP_PROGRAM:
      return STEP_POLL;
    case STEP_POLL:
      ++polls;
      return (buffer[1] & 1u) != 0 ? STEP_POLL : STEP_READ;
    case STEP_READ:
      for (uint32_t i = 0; i < PAGE_BYTES; ++i) {
        if (buffer[SPI_FLASH_HEADER + i] != pattern(i)) return STEP_FAILED;
      }
      return STEP_DONE;
    default:
      return step;
  }
}

WASMIO_ASYNC_HANDLER(on_transfer_done) {
  ++handler_runs;
  int32_t op;
  while ((op = wasmio_async_completed()) != 0) {
    uint32_t done;
    const int32_t status = wasmio_async_result(op, &done);
    if (op != spi_op) continue;
    spi_flash_select(0);  /* the command ends with the chip select */
    if (status != WASMIO_ASYNC_DONE) {
      failure = status;
      step = STEP_FAILED;
    } else {
      step = next_step();
    }
    if (step == STEP_DONE || step == STEP_FAILED) {
      wasmio_event_post(EV_CHAIN_ENDED);
    } else {
      start_step();
    }
  }
}

static uint32_t put_text(char *at, const char *text) {
  uint32_t n = 0;
  while (text[n] != 0) {
    at[n] = text[n];
    ++n;
  }
  return n;
}
static uint32_t put_hex(char *at, uint32_t value, uint32_t digits) {
  for (uint32_t i = 0; i < digits; ++i) at[i] = "0123456789abcdef"[(value >> (4 * (digits - 1 - i))) & 0xF];
  return digits;
}
static uint32_t put_decimal(char *at, uint32_t value) {
  char digits[10];
  uint32_t n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (uint32_t i = 0; i < n; ++i) at[i] = digits[n - 1 - i];
  return n;
}

__attribute__((export_name("main"))) void run(void) {
  if (uart_block_init() != 0 || spi_flash_init() != 0) return;
  wasmio_async_irq_enable();
  step = STEP_JEDEC;
  start_step();
  wasmio_event_wait(EV_CHAIN_ENDED);

  uint32_t n = put_text(report, "flash-verify: jedec ");
  n += put_hex(report + n, jedec, 6);
  if (step == STEP_DONE) {
    n += put_text(report + n, ", page 0x");
    n += put_hex(report + n, PAGE_ADDRESS, 6);
    n += put_text(report + n, " programmed and verified, ");
    n += put_decimal(report + n, polls);
    n += put_text(report + n, " status polls\r\n");
  } else {
    n += put_text(report + n, ", FAILED\r\n");
  }
  const int32_t op = uart_block_write(report, n, EV_REPORT_SENT);
  if (op < 0) return;
  wasmio_event_wait(EV_REPORT_SENT);
  uint32_t done;
  wasmio_async_result(op, &done);
}

__attribute__((export_name("step"))) int32_t current_step(void) { return (int32_t)step; }
__attribute__((export_name("failure"))) int32_t failure_status(void) { return failure; }
__attribute__((export_name("polls"))) uint32_t status_polls(void) { return polls; }
__attribute__((export_name("handler_runs"))) uint32_t runs(void) { return handler_runs; }
