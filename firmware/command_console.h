#pragma once

// Boot mode "console" (semihosting argument): UART0 commands from tests/qemu —
//   T  read the TMP105 through the temperature driver ("temperature: N mC")
//   I  receive a WIO1 frame and install the driver in it ("install: ok|refused: ...")
//   D  run drivers/irq/irq_demo under the scheduler for 2 s (UART echo by interrupts, timer)
//   Q  leave (exit status 0)
// Each answer is followed by "console: ready". No command within 60 s of board time: exit 1.
[[noreturn]] void run_command_console();
