// Scripted stimuli at virtual times: what a test bench or a scenario file does to the board from
// outside (a terminal typing, a finger on a button, the room warming up). Actions run as clock
// events, so they interleave deterministically with device activity.
#pragma once

#include <functional>
#include <list>
#include <string>
#include <string_view>

#include "sim_board.h"

namespace wasmio::io::sim {

class SimScript {
 public:
  explicit SimScript(SimBoard& board) : board_(board) {}
  SimScript(const SimScript&) = delete;
  SimScript& operator=(const SimScript&) = delete;

  // Runs `action` when virtual time reaches `when` (at once on the next advance if past).
  void at(Cycles when, std::function<void()> action);

  // Each returns false if the board has no such device or the value is out of the device's
  // range (nothing is scheduled then).
  bool uart_rx(Cycles when, std::string_view uart_label, std::string bytes);
  bool press_button(Cycles when, unsigned index, std::string_view fpgaio_label = "fpgaio");
  bool release_button(Cycles when, unsigned index, std::string_view fpgaio_label = "fpgaio");
  bool set_temperature(Cycles when, std::string_view sensor_label, std::int32_t millicelsius);

  std::size_t pending() const;

 private:
  struct Item {
    explicit Item(std::function<void()> fn) : action(std::move(fn)) {}
    std::function<void()> action;
    SimEvent event{&SimScript::run, this};
  };
  static void run(void* item, Cycles now);

  SimBoard& board_;
  std::list<Item> items_;  // stable addresses: events point into them
};

}  // namespace wasmio::io::sim
