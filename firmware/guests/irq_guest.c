// Guest interrupt handlers for the firmware's NVIC tests. The CMSDK timer 0 registers are
// reached through a register window placed above linear memory (the embedder's out-of-bounds
// hook performs the real MMIO), so the handler's first instruction is the VALUE read.
#define EXPORT(name) __attribute__((export_name(name)))
// The scheduler's guest interface (sdk/include/wasmio/irq.h): drop the arrival the NVIC latched
// while the line was masked, after the cause is cleared at the device.
__attribute__((import_module("wasmio_irq"), import_name("acknowledge"))) void
wasmio_irq_acknowledge(int line);
#define TIMER0_LINE 8
#define UART0_RX_LINE 0
#define FPGA_COUNTER (*(volatile unsigned*)0x40028018u)  // 25 MHz
#define TIMER0 ((volatile unsigned*)0x40000000u)  // CTRL, VALUE, RELOAD, INTSTATUS/INTCLEAR

static volatile unsigned last_value;
static unsigned ticks;

EXPORT("on_timer") void on_timer(void) {
  unsigned v = TIMER0[1];
  TIMER0[3] = 1;  // INTCLEAR
  wasmio_irq_acknowledge(TIMER0_LINE);
  last_value = v;
  ++ticks;
}

// A long handler: the native higher-priority interrupt must still run while it spins.
// One-shot: it stops the timer, else a handler longer than the period would starve thread mode.
static unsigned busy_start, busy_end;
EXPORT("on_timer_busy") void on_timer_busy(void) {
  busy_start = FPGA_COUNTER;
  TIMER0[0] = 0;  // CTRL: stop
  TIMER0[3] = 1;
  wasmio_irq_acknowledge(TIMER0_LINE);
  unsigned x = 1;
  for (unsigned i = 0; i < 40000; ++i) x = x * 1664525u + 1013904223u;
  last_value = x;
  ++ticks;
  busy_end = FPGA_COUNTER;
}
EXPORT("busy_start") unsigned get_busy_start(void) { return busy_start; }
EXPORT("busy_end") unsigned get_busy_end(void) { return busy_end; }

// A handler that never ends: its fuel budget stops it.
EXPORT("on_timer_stuck") void on_timer_stuck(void) {
  for (;;) ++ticks;
}

// UART0 receive: echo each byte back and keep the line (up to a newline) for the host to check.
#define UART0 ((volatile unsigned*)0x40004000u)  // DATA, STATE, CTRL, INTSTATUS/INTCLEAR
static char line[64];
static unsigned line_length;
static unsigned line_done;

EXPORT("on_uart_rx") void on_uart_rx(void) {
  while (UART0[1] & 2u) {  // STATE: RX buffer full
    unsigned c = UART0[0] & 0xFFu;
    while (UART0[1] & 1u) {  // TX buffer full
    }
    UART0[0] = c;
    if (c == '\r' || c == '\n') {
      if (line_length > 0) line_done = 1;
    } else if (!line_done && line_length < sizeof(line)) {
      line[line_length++] = (char)c;
    }
  }
  UART0[3] = 2u;  // INTCLEAR: RX
  wasmio_irq_acknowledge(UART0_RX_LINE);
}
EXPORT("line_address") unsigned line_address(void) { return (unsigned)line; }
EXPORT("line_length") unsigned get_line_length(void) { return line_done ? line_length : 0; }

EXPORT("last_value") unsigned get_last_value(void) { return last_value; }
EXPORT("ticks") unsigned get_ticks(void) { return ticks; }
