// The guest the E0 and Linux-platform tests share: a handler that counts its activations in
// mem[0] and a task that spins forever counting in mem[8], so interrupts mostly meet the loop
// inside Wasm. The guest needs no imports (its line is enabled by the spec or the test).
#pragma once

#include <cstring>
#include <string>

#include "sched_test_support.h"

namespace wasmio::sched::test {

inline constexpr const char* kSpinningCounter = R"((module
  (memory (export "mem") 1)
  (func (export "on_irq")
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
  (func (export "task")
    (loop $l
      (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
      (br $l))))
)";

inline constexpr std::uint32_t kHandledAt = 0;  // mem offset of the handler's count
inline constexpr std::uint32_t kSpunAt = 8;     // mem offset of the task's count

// `h` names "on_irq"; with_task adds the spinning task at priority 100.
inline ContainerSpec spinning_counter(std::string name, HandlerSpec h, bool with_task) {
  ContainerSpec spec;
  spec.name = std::move(name);
  spec.module = assemble(kSpinningCounter);
  h.export_name = "on_irq";
  spec.handlers = {h};
  if (with_task) spec.task = TaskSpec{"task", 100};
  return spec;
}

inline std::uint32_t peek(Scheduler& s, ContainerId id, std::uint32_t address) {
  auto data = Store::memory_data(s.instance(id)->memory(0));
  std::uint32_t v = 0;
  std::memcpy(&v, data.data() + address, 4);
  return v;
}

}  // namespace wasmio::sched::test
