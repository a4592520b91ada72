#include "interrupt_controller.h"

namespace wasmio::io::sim {

IrqOutput::~IrqOutput() {
  if (level_ && controller_ != nullptr) controller_->input_changed(line_, false, true);
}

void IrqOutput::connect(InterruptController* controller, std::uint32_t line) {
  const bool was_high = level_;
  if (was_high) set(false);
  controller_ = (controller != nullptr && line < controller->lines_.size()) ? controller : nullptr;
  line_ = line;
  if (was_high) set(true);
}

void IrqOutput::set(bool level) {
  if (level == level_) return;
  level_ = level;
  if (controller_ != nullptr) controller_->input_changed(line_, level, !level);
}

void IrqOutput::pulse() {
  if (controller_ != nullptr) controller_->input_pulse(line_);
}

InterruptController::InterruptController(std::uint32_t num_lines, std::uint32_t priority_bits)
    : lines_(num_lines + 1), priority_bits_(priority_bits > 8 ? 8 : priority_bits) {
  lines_.back().enabled = true;  // NMI cannot be disabled
}

void InterruptController::input_changed(std::uint32_t line, bool rising, bool falling) {
  Line& l = lines_[line];
  if (rising) {
    // A rising edge pends the line even while its handler runs (it will run again).
    if (l.sources++ == 0) make_pending(line);
  } else if (falling && l.sources > 0) {
    --l.sources;
  }
}

void InterruptController::input_pulse(std::uint32_t line) {
  make_pending(line);
}

void InterruptController::make_pending(std::uint32_t line) {
  Line& l = lines_[line];
  if (l.pending) return;
  l.pending = true;
  ++l.pend_count;
  if (l.enabled && listener_ != nullptr) listener_(listener_context_, line);
}

void InterruptController::enable(std::uint32_t line) {
  if (line >= lines_.size()) return;
  Line& l = lines_[line];
  const bool was = l.enabled;
  l.enabled = true;
  if (!was && l.pending && listener_ != nullptr) listener_(listener_context_, line);
}

void InterruptController::disable(std::uint32_t line) {
  if (line < num_lines()) lines_[line].enabled = false;
}

void InterruptController::set_pending(std::uint32_t line) {
  if (line < lines_.size()) make_pending(line);
}

void InterruptController::clear_pending(std::uint32_t line) {
  if (line >= num_lines()) return;
  Line& l = lines_[line];
  l.pending = false;
  // The NVIC samples a level input continuously: still high and not active -> pending again.
  if (l.sources > 0 && !l.active) make_pending(line);
}

void InterruptController::set_priority(std::uint32_t line, std::uint8_t priority) {
  if (line >= num_lines()) return;
  const std::uint8_t mask = static_cast<std::uint8_t>(0xFFu << (8 - priority_bits_));
  lines_[line].priority = priority & mask;
}

std::uint8_t InterruptController::priority(std::uint32_t line) const {
  return line < lines_.size() ? lines_[line].priority : 0;
}

std::optional<std::uint32_t> InterruptController::highest_pending() const {
  if (lines_.back().pending) return nmi_line();
  std::optional<std::uint32_t> best;
  for (std::uint32_t i = 0; i < num_lines(); ++i) {
    const Line& l = lines_[i];
    if (!l.pending || !l.enabled) continue;
    if (!best || l.priority < lines_[*best].priority) best = i;
  }
  return best;
}

void InterruptController::acknowledge(std::uint32_t line) {
  if (line >= lines_.size()) return;
  lines_[line].pending = false;
  lines_[line].active = true;
}

void InterruptController::complete(std::uint32_t line) {
  if (line >= lines_.size()) return;
  Line& l = lines_[line];
  l.active = false;
  if (l.sources > 0) make_pending(line);
}

void InterruptController::reset() {
  for (std::uint32_t i = 0; i < lines_.size(); ++i) {
    Line& l = lines_[i];
    l.enabled = (i == nmi_line());
    l.pending = false;
    l.active = false;
    l.priority = 0;
    l.pend_count = 0;
  }
}

}  // namespace wasmio::io::sim
