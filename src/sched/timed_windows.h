// Register windows onto the simulated board that first bring virtual time up to the accessing
// instruction (Scheduler::sync_time), so a device sees each access at the right virtual time
// even in the middle of a scheduler slice. Wraps any io::WindowSource backed by the board bus.
#pragma once

#include <deque>

#include "io/container/window_source.h"
#include "scheduler.h"

namespace wasmio::sched {

class TimedWindows final : public io::WindowSource {
 public:
  // `inner` and `scheduler` must outlive every window opened here.
  TimedWindows(io::WindowSource& inner, Scheduler& scheduler)
      : inner_(inner), scheduler_(scheduler) {}
  bool open(const io::GrantedWindow& grant, io::RegisterWindow* out, std::string* error) override;

 private:
  struct Window {
    TimedWindows* self;
    io::RegisterWindow inner;
  };
  static io::RegRead read(void* context, std::uint64_t address, unsigned width);
  static io::RegStatus write(void* context, std::uint64_t address, unsigned width,
                             std::uint64_t value);
  io::WindowSource& inner_;
  Scheduler& scheduler_;
  std::deque<Window> windows_;  // stable addresses: the contexts of the opened windows
};

}  // namespace wasmio::sched
