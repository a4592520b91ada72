// Interrupt tests on the real NVIC under sched::Scheduler: E0 entry, Wasm handlers preempted by a
// native higher-priority interrupt, BASEPRI, fuel budgets, and the latency figures.
#pragma once

void run_irq_tests(bool timed_checks);
