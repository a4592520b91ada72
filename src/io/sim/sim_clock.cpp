#include "sim_clock.h"

#include <algorithm>

namespace wasmio::io::sim {

SimEvent::~SimEvent() {
  if (clock_ != nullptr) clock_->cancel(*this);
}

SimClock::~SimClock() {
  for (SimEvent* e : queue_) e->clock_ = nullptr;
}

void SimClock::schedule(SimEvent& event, Cycles when) {
  if (event.clock_ != nullptr) cancel(event);
  event.when_ = std::max(when, now_);
  event.sequence_ = next_sequence_++;
  event.clock_ = this;
  queue_.push_back(&event);
  std::push_heap(queue_.begin(), queue_.end(), later);
}

void SimClock::cancel(SimEvent& event) {
  if (event.clock_ != this) return;
  auto it = std::find(queue_.begin(), queue_.end(), &event);
  if (it != queue_.end()) {
    queue_.erase(it);
    std::make_heap(queue_.begin(), queue_.end(), later);
  }
  event.clock_ = nullptr;
}

void SimClock::pop_front() {
  std::pop_heap(queue_.begin(), queue_.end(), later);
  queue_.back()->clock_ = nullptr;
  queue_.pop_back();
}

void SimClock::run_due(Cycles target) {
  while (!queue_.empty() && queue_.front()->when_ <= target) {
    SimEvent* e = queue_.front();
    now_ = std::max(now_, e->when_);
    pop_front();
    e->callback_(e->context_, now_);
  }
  now_ = std::max(now_, target);
}

bool SimClock::run_next() {
  if (queue_.empty()) return false;
  advance_to(queue_.front()->when_);
  return true;
}

}  // namespace wasmio::io::sim
