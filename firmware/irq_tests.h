// Interrupt tests on the real NVIC: E0 entry, Wasm handlers at the PendSV level preempted by a
// native higher-priority interrupt, BASEPRI, fuel budgets, and the latency figures.
#pragma once

void run_irq_tests();
