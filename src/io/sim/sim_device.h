// The shape of every device model (Zephyr style): a const configuration taken from the
// devicetree, mutable state, and const operations (the virtual functions below) the bus calls.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "../board/board_description.h"
#include "interrupt_controller.h"
#include "sim_clock.h"

namespace wasmio::io::sim {

// Outcome of one bus access. Anything but kOk is what a bus fault would be on silicon.
enum class BusStatus : std::uint8_t {
  kOk,
  kUnmapped,    // no device decodes the address
  kBadWidth,    // width not 1, 2, 4 (or 8 where the device allows it)
  kMisaligned,  // address not a multiple of the width
};
const char* bus_status_name(BusStatus status);

struct BusRead {
  std::uint64_t value = 0;
  BusStatus status = BusStatus::kOk;
  bool ok() const { return status == BusStatus::kOk; }
};

// What every model is built from.
struct DeviceConfig {
  std::string label;      // devicetree label ("uart0")
  std::string path;       // devicetree path
  RegWindow window;       // CPU address and size decoded by the device
  std::uint64_t clock_hz = 25'000'000;
};

struct SimContext {
  SimClock& clock;
  InterruptController& irqs;
};

class SimDevice {
 public:
  SimDevice(DeviceConfig config, SimContext context) : config_(std::move(config)), ctx_(context) {}
  SimDevice(const SimDevice&) = delete;
  SimDevice& operator=(const SimDevice&) = delete;
  virtual ~SimDevice() = default;

  const DeviceConfig& config() const { return config_; }
  std::string_view label() const { return config_.label; }
  virtual std::string_view kind() const = 0;  // the compatible it models

  // The widest single access the device's bus port takes (APB: 4).
  virtual unsigned max_width() const { return 4; }
  // `offset` is inside the window and a multiple of `width`; the bus has checked both.
  virtual std::uint64_t read(std::uint64_t offset, unsigned width) = 0;
  virtual void write(std::uint64_t offset, unsigned width, std::uint64_t value) = 0;
  // Back to the power-on state (as the board's reset line does).
  virtual void reset() = 0;

 protected:
  Cycles now() const { return ctx_.clock.now(); }
  SimClock& clock() const { return ctx_.clock; }
  InterruptController& irqs() const { return ctx_.irqs; }

 private:
  DeviceConfig config_;
  SimContext ctx_;
};

// An APB peripheral with 32-bit registers, accessed as QEMU's memory core presents each model:
// - register-addressed (most models): an access of any width at a register's address acts on
//   the whole register (reads truncated to the width, writes zero-extended); an access at any
//   other offset reads 0 and is ignored, like an unimplemented register;
// - byte lanes (models QEMU declares with a 4-byte minimum access size: dual timer, watchdog):
//   a narrower access reads its bytes of the containing register, and writes the register with
//   the value shifted into its lanes and the other bytes zero.
class Apb32Device : public SimDevice {
 public:
  enum class SubwordAccess : std::uint8_t { kRegisterAddressed, kByteLanes };
  Apb32Device(DeviceConfig config, SimContext context,
              SubwordAccess subword = SubwordAccess::kRegisterAddressed)
      : SimDevice(std::move(config), context), subword_(subword) {}
  std::uint64_t read(std::uint64_t offset, unsigned width) final;
  void write(std::uint64_t offset, unsigned width, std::uint64_t value) final;

 protected:
  virtual std::uint32_t read_register(std::uint32_t offset) = 0;
  virtual void write_register(std::uint32_t offset, std::uint32_t value) = 0;

 private:
  SubwordAccess subword_;
};

// PrimeCell/CMSDK identification registers: 12 words from 0xFD0 (PID4-7, PID0-3, CID0-3).
using PeripheralId = std::array<std::uint8_t, 12>;
inline constexpr std::uint32_t kPeripheralIdBase = 0xFD0;
// The ID word at `offset`, or false if `offset` is not an ID register.
bool read_peripheral_id(const PeripheralId& id, std::uint32_t offset, std::uint32_t& value);

}  // namespace wasmio::io::sim
