#include "sim_platform.h"

namespace wasmio::sched {

SimPlatform::SimPlatform(io::sim::SimBoard& board) : board_(board) {
  board_.irqs().set_listener(&SimPlatform::on_pending, this);
}

SimPlatform::~SimPlatform() { board_.irqs().set_listener(nullptr, nullptr); }

void SimPlatform::on_pending(void* self, std::uint32_t line) {
  auto* p = static_cast<SimPlatform*>(self);
  if (p->sink_ != nullptr) p->sink_->on_interrupt(line);
}

void SimPlatform::wait(Cycles deadline) {
  // A sleeping core: jump to the next device event (which may raise an interrupt) or to the
  // deadline, whichever comes first.
  io::sim::SimClock& clock = board_.clock();
  if (clock.next_deadline() <= deadline) {
    clock.run_next();
  } else if (deadline != kNever) {
    clock.advance_to(deadline);
  }
}

}  // namespace wasmio::sched
