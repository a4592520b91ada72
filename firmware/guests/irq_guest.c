// Guest interrupt handlers for the firmware's NVIC tests. The CMSDK timer 0 registers are
// reached through a register window placed above linear memory (the embedder's out-of-bounds
// hook performs the real MMIO), so the handler's first instruction is the VALUE read.
#define EXPORT(name) __attribute__((export_name(name)))
#define TIMER0 ((volatile unsigned*)0x40000000u)  // CTRL, VALUE, RELOAD, INTSTATUS/INTCLEAR

static volatile unsigned last_value;
static unsigned ticks;

EXPORT("on_timer") void on_timer(void) {
  unsigned v = TIMER0[1];
  TIMER0[3] = 1;  // INTCLEAR
  last_value = v;
  ++ticks;
}

// A long handler: the native higher-priority interrupt must still run while it spins.
// One-shot: it stops the timer, else a handler longer than the period would starve thread mode.
EXPORT("on_timer_busy") void on_timer_busy(void) {
  TIMER0[0] = 0;  // CTRL: stop
  TIMER0[3] = 1;
  unsigned x = 1;
  for (unsigned i = 0; i < 40000; ++i) x = x * 1664525u + 1013904223u;
  last_value = x;
  ++ticks;
}

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
}
EXPORT("line_address") unsigned line_address(void) { return (unsigned)line; }
EXPORT("line_length") unsigned get_line_length(void) { return line_done ? line_length : 0; }

EXPORT("last_value") unsigned get_last_value(void) { return last_value; }
EXPORT("ticks") unsigned get_ticks(void) { return ticks; }
