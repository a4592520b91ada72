// An NVIC-like interrupt controller model: what the device models drive and what the scheduler
// (a later issue) polls or is called back from.
//
// Per line: enabled, pending, active, priority (only the implemented top bits are kept, as on
// silicon), and the input level = OR of every device output wired to it (AN385 shares lines, e.g.
// UART 0-2 overrun on 12). A rising input edge pends the line; a line whose input is still high
// when its handler completes pends again (level behaviour); a pulse pends it without holding the
// level. Software can pend and unpend like NVIC ISPR/ICPR. NMI is one more line, index nmi_line(),
// always enabled and above every priority.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace wasmio::io::sim {

class InterruptController;

// One device interrupt output, wired to at most one controller line.
class IrqOutput {
 public:
  IrqOutput() = default;
  IrqOutput(const IrqOutput&) = delete;
  IrqOutput& operator=(const IrqOutput&) = delete;
  ~IrqOutput();

  void connect(InterruptController* controller, std::uint32_t line);
  bool connected() const { return controller_ != nullptr; }
  std::uint32_t line() const { return line_; }

  void set(bool level);  // level-sensitive output
  void pulse();          // one-cycle pulse: pends the line, leaves the level low
  bool level() const { return level_; }

 private:
  InterruptController* controller_ = nullptr;
  std::uint32_t line_ = 0;
  bool level_ = false;
};

class InterruptController {
 public:
  // Called when a line becomes pending and enabled (from a device event or register access).
  using Listener = void (*)(void* context, std::uint32_t line);

  InterruptController(std::uint32_t num_lines, std::uint32_t priority_bits);

  std::uint32_t num_lines() const { return static_cast<std::uint32_t>(lines_.size()) - 1; }
  std::uint32_t nmi_line() const { return num_lines(); }
  std::uint32_t priority_bits() const { return priority_bits_; }

  void set_listener(Listener listener, void* context) {
    listener_ = listener;
    listener_context_ = context;
  }

  // CPU side (NVIC registers).
  void enable(std::uint32_t line);
  void disable(std::uint32_t line);
  bool enabled(std::uint32_t line) const { return line < lines_.size() && lines_[line].enabled; }
  void set_pending(std::uint32_t line);    // ISPR / STIR: software trigger
  void clear_pending(std::uint32_t line);  // ICPR: pends again at once if the input is high
  bool pending(std::uint32_t line) const { return line < lines_.size() && lines_[line].pending; }
  bool active(std::uint32_t line) const { return line < lines_.size() && lines_[line].active; }
  // Priority 0 is the most urgent; bits below the implemented ones read as zero.
  void set_priority(std::uint32_t line, std::uint8_t priority);
  std::uint8_t priority(std::uint32_t line) const;
  bool level(std::uint32_t line) const { return line < lines_.size() && lines_[line].sources > 0; }

  // The pending, enabled line to take next: NMI first, then lowest priority value, then lowest
  // line number. Preemption against active handlers is the scheduler's decision.
  std::optional<std::uint32_t> highest_pending() const;
  // Exception entry: pending -> active.
  void acknowledge(std::uint32_t line);
  // Exception return: active -> inactive; pends again if the input is still high.
  void complete(std::uint32_t line);

  // How often each line has become pending since reset (for tests and traces).
  std::uint64_t pend_count(std::uint32_t line) const {
    return line < lines_.size() ? lines_[line].pend_count : 0;
  }

  // Every line back to reset: disabled, not pending/active, priority 0. Input levels stay (they
  // belong to the devices).
  void reset();

 private:
  friend class IrqOutput;
  void input_changed(std::uint32_t line, bool rising_to_high, bool falling);
  void input_pulse(std::uint32_t line);
  void make_pending(std::uint32_t line);

  struct Line {
    bool enabled = false;
    bool pending = false;
    bool active = false;
    std::uint8_t priority = 0;
    std::uint32_t sources = 0;  // outputs currently driving high
    std::uint64_t pend_count = 0;
  };
  std::vector<Line> lines_;
  std::uint32_t priority_bits_;
  Listener listener_ = nullptr;
  void* listener_context_ = nullptr;
};

}  // namespace wasmio::io::sim
