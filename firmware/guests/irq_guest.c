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

EXPORT("last_value") unsigned get_last_value(void) { return last_value; }
EXPORT("ticks") unsigned get_ticks(void) { return ticks; }
