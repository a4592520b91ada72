// Shared pieces of the scheduler scenarios: a simulated board with no devices (interrupts come
// from scripted sources), guests assembled from text, and memory peeks.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "io/sim/sim_board.h"
#include "sched/scheduler.h"
#include "sched/sim_platform.h"

namespace wasmio::sched::test {

inline constexpr std::uint64_t kClockHz = 25'000'000;  // AN385 board clock
inline constexpr Cycles kUs = kClockHz / 1'000'000;

// Assembles WebAssembly text with wat2wasm and loads it.
inline std::shared_ptr<const Module> assemble(const std::string& text) {
  char wat[] = "/tmp/wasmio-sched-XXXXXX";
  const int fd = mkstemp(wat);
  EXPECT_GE(fd, 0);
  close(fd);
  const std::string wasm = std::string(wat) + ".wasm";
  { std::ofstream(wat) << text; }
  const std::string command =
      std::string(WASMIO_WAT2WASM) + " " + wat + " -o " + wasm + " 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << "wat2wasm failed on:\n" << text;
  std::ifstream in(wasm, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  std::remove(wat);
  std::remove(wasm.c_str());
  auto module = Module::load(bytes);
  EXPECT_TRUE(module.has_value());
  if (!module) return nullptr;
  return std::shared_ptr<const Module>(std::move(*module));
}

// Pulses a line at `first`, then every `period` (0: once), until `until`.
class PulseSource {
 public:
  PulseSource(io::sim::SimBoard& board, std::uint32_t line, Cycles first, Cycles period,
              Cycles until = kNever)
      : board_(board), line_(line), period_(period), until_(until) {
    board_.clock().schedule(event_, first);
  }
  std::uint64_t pulses() const { return pulses_; }

 private:
  static void fire(void* self, io::sim::Cycles now) {
    auto* s = static_cast<PulseSource*>(self);
    ++s->pulses_;
    s->board_.irqs().set_pending(s->line_);
    if (s->period_ != 0 && now + s->period_ < s->until_) {
      s->board_.clock().schedule(s->event_, now + s->period_);
    }
  }
  io::sim::SimBoard& board_;
  std::uint32_t line_;
  Cycles period_;
  Cycles until_;
  std::uint64_t pulses_ = 0;
  io::sim::SimEvent event_{&PulseSource::fire, this};
};

struct Rig {
  io::sim::SimBoard board{kClockHz, 32, 3};
  SimPlatform platform{board};
  Scheduler scheduler{platform};

  ContainerId install(ContainerSpec spec) {
    std::string error;
    auto id = scheduler.install(std::move(spec), &error);
    EXPECT_TRUE(id.has_value()) << error;
    return id.value_or(0);
  }
  ContainerId install_and_start(ContainerSpec spec) {
    const ContainerId id = install(std::move(spec));
    EXPECT_TRUE(scheduler.start(id));
    return id;
  }
  std::uint32_t peek32(ContainerId id, std::uint32_t address) {
    Instance* instance = scheduler.instance(id);
    EXPECT_NE(instance, nullptr);
    if (instance == nullptr) return 0;
    auto data = Store::memory_data(instance->memory(0));
    std::uint32_t v = 0;
    std::memcpy(&v, data.data() + address, 4);
    return v;
  }
};

inline HandlerSpec handler(std::uint32_t line, std::string name, std::uint8_t priority,
                           std::uint64_t budget, Cycles min_ia = 0) {
  HandlerSpec h;
  h.line = line;
  h.export_name = std::move(name);
  h.priority = priority;
  h.budget_fuel = budget;
  h.min_interarrival = min_ia;
  return h;
}

inline TaskSpec periodic_task(std::string name, std::uint8_t priority, Cycles period) {
  TaskSpec t;
  t.export_name = std::move(name);
  t.priority = priority;
  t.period = period;
  return t;
}

// A periodic task: each job counts `work` loop iterations, bumps mem[0] and waits for the next
// period.
inline std::string periodic_guest(int work) {
  return R"((module
  (import "wasmio_irq" "wait_period" (func $wait))
  (memory (export "mem") 1)
  (func (export "task") (local $i i32)
    (loop $job
      (local.set $i (i32.const 0))
      (loop $w
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $w (i32.lt_u (local.get $i) (i32.const )" +
         std::to_string(work) + R"())))
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (call $wait)
      (br $job))))
)";
}

}  // namespace wasmio::sched::test
