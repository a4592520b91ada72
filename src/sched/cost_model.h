// Virtual cycles charged per class of work in the simulation. Wasm work is measured in fuel: the
// engine adds each straight-line region's static instruction count at safe points, so one fuel
// unit is one executed Wasm instruction. Costs are for a Cortex-M3 at the board clock running
// the lowered threaded code (docs/design/0010-priority-model.md explains each figure). On real
// targets the same budgets are converted with `cycles_per_fuel` in the other direction.
#pragma once

#include "platform.h"

namespace wasmio::sched {

struct CostModel {
  Cycles cycles_per_fuel = 4;    // one Wasm instruction: dispatch + operands in registers/slots
  Cycles exception_entry = 12;   // Cortex-M3: hardware stacking of 8 words + vector fetch
  Cycles exception_exit = 10;    // unstacking (no tail-chaining assumed)
  Cycles e0_prologue = 30;       // native ISR body: look up owner, ack + mask at NVIC, mark pending
  Cycles dispatch = 60;          // scheduler: pick the activation, arm fuel, enter invoke/resume
  Cycles host_call = 20;         // a wasmio_irq host function (argument checks, state update)

  Cycles fuel_to_cycles(std::uint64_t fuel) const { return fuel * cycles_per_fuel; }
  // Whole fuel units that fit in `cycles` (at least one, so a slice always makes progress).
  // Slices are bounded (the scheduler caps them far below 2^32 cycles), so the usual case is a
  // 32-bit division (one UDIV on a Cortex-M3) or a shift, not the 64-bit library division.
  std::uint64_t cycles_to_fuel(Cycles cycles) const {
    std::uint64_t f;
    if ((cycles_per_fuel & (cycles_per_fuel - 1)) == 0 && cycles_per_fuel != 0) {
      f = cycles >> __builtin_ctzll(cycles_per_fuel);
    } else if ((cycles >> 32) == 0 && (cycles_per_fuel >> 32) == 0) {
      f = static_cast<std::uint32_t>(cycles) / static_cast<std::uint32_t>(cycles_per_fuel);
    } else {
      f = cycles / cycles_per_fuel;
    }
    return f == 0 ? 1 : f;
  }
};

}  // namespace wasmio::sched
