// A bit-level I2C bus: the master drives SCL/SDA (open drain: true = released), targets answer
// on SDA; the bus level is the wired AND. The state machine decodes START (SDA falls while SCL
// is high), STOP (SDA rises while SCL is high), 7-bit address + R/W, ACK/NACK on the ninth clock
// and data bytes (MSB first; sampled on SCL rising, changed by the target after SCL falls).
// No clock stretching: targets answer instantly (TMP105 and AT24C do not stretch).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wasmio::io::sim {

// A device on the bus, addressed as a whole; byte-level protocol only.
class I2cTarget {
 public:
  virtual ~I2cTarget() = default;
  // Our address was sent with R/W = `read`. Return false to NACK (busy).
  virtual bool start(bool read) = 0;
  // A byte from the master; return false to NACK it.
  virtual bool write_byte(std::uint8_t byte) = 0;
  // The next byte to send to the master.
  virtual std::uint8_t read_byte() = 0;
  // STOP ended our transaction.
  virtual void stop() = 0;
  // A repeated START ended our part of the transaction without a STOP.
  virtual void restart() {}
  // Power-on state (the board's reset).
  virtual void reset() = 0;
};

class I2cBus {
 public:
  // One record per completed byte, for traces and tests.
  struct Trace {
    enum Kind : std::uint8_t { kStart, kAddress, kWrite, kRead, kStop } kind;
    std::uint8_t byte = 0;
    bool ack = false;
  };

  void attach(std::uint8_t address, I2cTarget* target);
  // The master's outputs (true = released/high). Simultaneous changes are applied in the safe
  // order: SDA before a rising SCL, after a falling SCL.
  void drive(bool scl, bool sda);
  bool scl() const { return master_scl_; }
  bool sda() const { return master_sda_ && target_sda_; }
  void reset();

  const std::vector<Trace>& trace() const { return trace_; }
  void clear_trace() { trace_.clear(); }

 private:
  enum class Phase : std::uint8_t {
    kIdle,        // waiting for START
    kAddress,     // shifting in the address byte
    kAddressAck,  // target holds SDA low for the ninth clock
    kWrite,       // shifting in a data byte
    kWriteAck,
    kRead,        // target shifts a byte out
    kReadAck,     // master ACKs (more) or NACKs (done)
    kIgnore,      // not for us / NACKed: wait for START or STOP
  };
  void set_scl(bool level);
  void set_sda(bool level);
  void scl_rising();
  void scl_falling();
  void target_sends_bit();

  struct Attached {
    std::uint8_t address;
    I2cTarget* target;
  };
  std::vector<Attached> targets_;
  I2cTarget* active_ = nullptr;
  Phase phase_ = Phase::kIdle;
  bool master_scl_ = true;
  bool master_sda_ = true;
  bool target_sda_ = true;
  std::uint8_t shift_ = 0;
  unsigned bits_ = 0;
  bool reading_ = false;
  bool master_acked_ = false;
  std::vector<Trace> trace_;
};

}  // namespace wasmio::io::sim
