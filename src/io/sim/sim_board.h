// The simulated board: device models instantiated from a BoardDescription by `compatible`, a bus
// that decodes CPU addresses to them, virtual time (SimClock) and the interrupt controller.
//
// Bus accesses: width 1, 2, 4 (8 only where a device's port takes it; none of AN385's APB
// devices does); the address must be a multiple of the width; each access takes
// access_cycles() of virtual time (an APB transfer: setup + access phase = 2 cycles), so a driver
// that polls a status bit sees time pass. Errors are values (BusStatus), never crashes.
#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <string>
#include <string_view>
#include <vector>

#include "../board/board_description.h"
#include "i2c_bus.h"
#include "interrupt_controller.h"
#include "sim_clock.h"
#include "sim_device.h"
#include "spi_target.h"

namespace wasmio::io::sim {

class SimBoard {
 public:
  struct Options {
    std::uint64_t clock_hz = 0;    // 0: the devicetree's (sysclk, else cpu), else 25 MHz
    Cycles access_cycles = 2;      // virtual time per bus access
  };

  // Builds the board; null with `*error` set if the description is inconsistent (overlapping
  // windows, an I2C device on a bus that is not modelled, ...). Nodes whose compatible has no
  // model are skipped and listed in unmodelled().
  static std::unique_ptr<SimBoard> create(const BoardDescription& board, std::string* error,
                                          Options options);
  static std::unique_ptr<SimBoard> create(const BoardDescription& board, std::string* error) {
    return create(board, error, Options{});
  }

  // An empty board to populate with add_device (tests, other boards).
  SimBoard(std::uint64_t clock_hz, std::uint32_t irq_lines, std::uint32_t priority_bits);
  SimBoard(const SimBoard&) = delete;
  SimBoard& operator=(const SimBoard&) = delete;
  ~SimBoard();

  BusRead read(std::uint64_t address, unsigned width);
  BusStatus write(std::uint64_t address, unsigned width, std::uint64_t value);

  // A bus master other than the CPU (the DMA controller): same decode and errors, no access time
  // charged (the master accounts for its own timing) and safe to call from clock events.
  BusRead master_read(std::uint64_t address, unsigned width);
  BusStatus master_write(std::uint64_t address, unsigned width, std::uint64_t value);

  SimClock& clock() { return clock_; }
  InterruptController& irqs() { return irqs_; }
  SimContext context() { return SimContext{clock_, irqs_}; }
  Cycles access_cycles() const { return access_cycles_; }
  void set_access_cycles(Cycles cycles) { access_cycles_ = cycles; }

  // Maps the device at config().window. False (device dropped) if the window is empty or
  // overlaps another device.
  bool add_device(std::unique_ptr<SimDevice> device);
  // Adds an I2C target the board owns; it answers at `address` on `bus`.
  template <typename T>
  T* add_i2c_target(I2cBus& bus, std::uint8_t address, std::string label, std::unique_ptr<T> t) {
    T* raw = t.get();
    bus.attach(address, raw);
    targets_.push_back(Target{std::move(label), T::kCompatible, std::move(t)});
    return raw;
  }

  SimDevice* device_at(std::uint64_t address) const;
  SimDevice* find(std::string_view label) const;
  // The device or I2C target with this label if it is a T (by its kCompatible), else null.
  template <typename T>
  T* find_as(std::string_view label) const {
    if constexpr (std::is_base_of_v<SimDevice, T>) {
      SimDevice* d = find(label);
      return d != nullptr && d->kind() == T::kCompatible ? static_cast<T*>(d) : nullptr;
    } else if constexpr (std::is_base_of_v<SpiTarget, T>) {
      for (const auto& t : spi_targets_) {
        if (t.label == label && t.kind == T::kCompatible) return static_cast<T*>(t.target.get());
      }
      return nullptr;
    } else {
      for (const auto& t : targets_) {
        if (t.label == label && t.kind == T::kCompatible) return static_cast<T*>(t.target.get());
      }
      return nullptr;
    }
  }
  std::vector<SimDevice*> devices() const;
  const std::vector<std::string>& unmodelled() const { return unmodelled_; }

  // What a core sleeping in WFI sees: virtual time runs, event by event, until an enabled
  // interrupt is pending (its line is returned, now() is the cycle it became pending) or until
  // `deadline` (nullopt, now() == deadline). Returns at once if one is already pending.
  std::optional<std::uint32_t> wait_for_interrupt(Cycles deadline);

  // The board's reset line: every device and the interrupt controller to power-on state.
  // Virtual time keeps running; EEPROM contents persist.
  void reset();

 private:
  struct Mapping {
    std::uint64_t base;
    std::uint64_t end;  // exclusive
    SimDevice* device;
    unsigned max_width;
  };
  struct Target {
    std::string label;
    std::string_view kind;
    std::unique_ptr<I2cTarget> target;
  };
  const Mapping* decode(std::uint64_t address, unsigned width) const;

  SimClock clock_;
  InterruptController irqs_;
  Cycles access_cycles_ = 2;
  std::vector<std::unique_ptr<SimDevice>> owned_;
  std::vector<Mapping> map_;  // sorted by base
  mutable std::size_t last_ = SIZE_MAX;  // index of the last decoded mapping
  std::vector<Target> targets_;
  struct SpiTargetEntry {
    std::string label;
    std::string_view kind;
    std::unique_ptr<SpiTarget> target;
  };
  std::vector<SpiTargetEntry> spi_targets_;  // devices on PL022s, selected by FPGAIO MISC bits
  std::vector<std::string> unmodelled_;

  friend struct BoardFactory;
};

}  // namespace wasmio::io::sim
