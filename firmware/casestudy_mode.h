// The case study (docs/case-study.md, casestudy/) on the Cortex-M3: its four containers
// installed at boot under sched::Scheduler on NvicPlatform with one services::ServiceHub, on
// QEMU's real devices. UART0 belongs to the uart-proto container (the report frames); the
// firmware's console moves to UART1, the maintenance port: commands, live update of the sensor
// driver with a WIO1 frame, measurements (docs/design/0011-cortex-m-port.md).
#pragma once

// `flat_out`: the application reports back to back (throughput) instead of every 100 ms.
// `measure_and_exit`: no console input; 1 s of warm-up, one 5 s measurement window printed as
// "casestudy: measure ...", then exit (bench/mcu/run-mcu-casestudy under -icount sleep=off,
// which does not mix with host input).
[[noreturn]] void run_casestudy(bool flat_out, bool measure_and_exit);
