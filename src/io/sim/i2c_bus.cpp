#include "i2c_bus.h"

namespace wasmio::io::sim {

void I2cBus::attach(std::uint8_t address, I2cTarget* target) {
  targets_.push_back(Attached{static_cast<std::uint8_t>(address & 0x7F), target});
}

void I2cBus::reset() {
  if (active_ != nullptr) active_->stop();
  active_ = nullptr;
  phase_ = Phase::kIdle;
  target_sda_ = true;
  bits_ = 0;
}

void I2cBus::drive(bool scl, bool sda) {
  if (scl && !master_scl_) {
    set_sda(sda);
    set_scl(true);
  } else {
    set_scl(scl);
    set_sda(sda);
  }
}

void I2cBus::set_sda(bool level) {
  const bool before = sda();
  master_sda_ = level;
  const bool after = sda();
  if (!master_scl_ || before == after) return;
  if (!after) {
    // START or repeated START: any transaction in progress gives up the bus.
    if (active_ != nullptr) active_->restart();
    active_ = nullptr;
    target_sda_ = true;
    phase_ = Phase::kAddress;
    shift_ = 0;
    bits_ = 0;
    trace_.push_back(Trace{Trace::kStart});
  } else {
    if (active_ != nullptr) active_->stop();
    active_ = nullptr;
    target_sda_ = true;
    phase_ = Phase::kIdle;
    trace_.push_back(Trace{Trace::kStop});
  }
}

void I2cBus::set_scl(bool level) {
  if (level == master_scl_) return;
  master_scl_ = level;
  if (level) {
    scl_rising();
  } else {
    scl_falling();
  }
}

// Receivers sample SDA while SCL is high.
void I2cBus::scl_rising() {
  switch (phase_) {
    case Phase::kAddress:
    case Phase::kWrite:
      if (bits_ < 8) {
        shift_ = static_cast<std::uint8_t>((shift_ << 1) | (sda() ? 1 : 0));
        ++bits_;
      }
      break;
    case Phase::kReadAck: master_acked_ = !sda(); break;
    default: break;
  }
}

// Transmitters change SDA while SCL is low.
void I2cBus::scl_falling() {
  switch (phase_) {
    case Phase::kAddress: {
      if (bits_ < 8) break;
      const std::uint8_t address = shift_ >> 1;
      reading_ = (shift_ & 1) != 0;
      I2cTarget* found = nullptr;
      for (const auto& a : targets_) {
        if (a.address == address) found = a.target;
      }
      const bool ack = found != nullptr && found->start(reading_);
      trace_.push_back(Trace{Trace::kAddress, shift_, ack});
      if (ack) {
        active_ = found;
        target_sda_ = false;
        phase_ = Phase::kAddressAck;
      } else {
        phase_ = Phase::kIgnore;
      }
      break;
    }
    case Phase::kAddressAck:
      target_sda_ = true;
      bits_ = 0;
      shift_ = 0;
      if (reading_) {
        phase_ = Phase::kRead;
        shift_ = active_->read_byte();
        target_sends_bit();
      } else {
        phase_ = Phase::kWrite;
      }
      break;
    case Phase::kWrite: {
      if (bits_ < 8) break;
      const bool ack = active_->write_byte(shift_);
      trace_.push_back(Trace{Trace::kWrite, shift_, ack});
      if (ack) {
        target_sda_ = false;
        phase_ = Phase::kWriteAck;
      } else {
        phase_ = Phase::kIgnore;
      }
      break;
    }
    case Phase::kWriteAck:
      target_sda_ = true;
      bits_ = 0;
      shift_ = 0;
      phase_ = Phase::kWrite;
      break;
    case Phase::kRead:
      ++bits_;
      if (bits_ < 8) {
        target_sends_bit();
      } else {
        target_sda_ = true;  // the master drives the ninth bit
        phase_ = Phase::kReadAck;
      }
      break;
    case Phase::kReadAck:
      trace_.push_back(Trace{Trace::kRead, shift_, master_acked_});
      if (master_acked_) {
        phase_ = Phase::kRead;
        bits_ = 0;
        shift_ = active_->read_byte();
        target_sends_bit();
      } else {
        phase_ = Phase::kIgnore;  // NACK: the master ends with STOP or repeated START
      }
      break;
    default: break;
  }
}

void I2cBus::target_sends_bit() { target_sda_ = ((shift_ >> (7 - bits_)) & 1) != 0; }

}  // namespace wasmio::io::sim
