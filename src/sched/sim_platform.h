// The scheduler's platform on the simulated board: virtual time is the board's SimClock, the
// interrupt controller is its NVIC model. Executed work advances the clock (consume), so device
// events fire at reproducible virtual times relative to the instructions executed.
#pragma once

#include "io/sim/sim_board.h"
#include "platform.h"

namespace wasmio::sched {

class SimPlatform final : public Platform {
 public:
  // The board must outlive the platform.
  explicit SimPlatform(io::sim::SimBoard& board);
  ~SimPlatform() override;

  Cycles now() const override { return board_.clock().now(); }
  std::uint64_t cycles_per_second() const override { return board_.clock().frequency_hz(); }
  Cycles next_external_event() const override { return board_.clock().next_deadline(); }
  void consume(Cycles cycles) override { board_.clock().advance(cycles); }
  void wait(Cycles deadline) override;

  void set_sink(InterruptSink* sink) override { sink_ = sink; }
  void mask(std::uint32_t line) override { board_.irqs().disable(line); }
  void unmask(std::uint32_t line) override { board_.irqs().enable(line); }
  void acknowledge(std::uint32_t line) override { board_.irqs().acknowledge(line); }
  void complete(std::uint32_t line) override { board_.irqs().complete(line); }
  void clear_pending(std::uint32_t line) override { board_.irqs().clear_pending(line); }
  void set_priority(std::uint32_t line, std::uint8_t priority) override {
    board_.irqs().set_priority(line, priority);
  }
  std::uint32_t line_count() const override { return board_.irqs().num_lines(); }

  io::sim::SimBoard& board() { return board_; }

 private:
  static void on_pending(void* self, std::uint32_t line);

  io::sim::SimBoard& board_;
  InterruptSink* sink_ = nullptr;
};

}  // namespace wasmio::sched
