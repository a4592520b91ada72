// I2C write-then-read on an SBCon two-wire interface, which has no interrupt and no shifter: the
// host bit-bangs it from a virtual-time timer, one bit (SCL low -> high -> low, 3..4 register
// accesses) per event at Options::i2c_hz. Sequence: START, address+W, the write bytes (each
// must be ACKed), then (repeated) START, address+R, the read bytes (ACK each but the last,
// which gets NACK), STOP. A NACK ends it with STOP and kDeviceError; bytes_done counts the data
// bytes acknowledged / received. Cancel sends STOP at once, so the bus is idle afterwards.
#include "../sim/sim_board.h"
#include "../sim/sim_clock.h"
#include "transfer.h"

namespace wasmio::io::async {

namespace {
constexpr std::uint64_t kControl = 0x00, kControlS = 0x00, kControlC = 0x04;
constexpr std::uint32_t kScl = 1, kSda = 2;

class I2cTransfer final : public Transfer {
 public:
  I2cTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, RegisterWindow regs,
              std::uint8_t address, std::uint32_t wr_ptr, std::uint32_t wr_len,
              std::uint32_t rd_ptr, std::uint32_t rd_len)
      : Transfer(s, c, op, OpKind::kI2cTransfer, regs, regs.base()),
        address_(address),
        wr_ptr_(wr_ptr),
        wr_len_(wr_len),
        rd_ptr_(rd_ptr),
        rd_len_(rd_len) {
    const std::uint64_t hz = s.board().clock().frequency_hz();
    bit_cycles_ = hz / (s.options().i2c_hz != 0 ? s.options().i2c_hz : 100'000);
    if (bit_cycles_ == 0) bit_cycles_ = 1;
  }
  ~I2cTransfer() override { service_.board().clock().cancel(tick_); }

  std::int32_t start() override {
    phase_ = Phase::kStart;
    service_.board().clock().schedule_in(tick_, 0);
    return kRunning;
  }
  void service() override { tick(); }
  void quiesce() override {
    service_.board().clock().cancel(tick_);
    if (phase_ != Phase::kIdle && phase_ != Phase::kStart) stop();
    phase_ = Phase::kIdle;
  }

 private:
  enum class Phase : std::uint8_t {
    kIdle,
    kStart,
    kAddress,
    kAddressAck,
    kWriteBit,
    kWriteAck,
    kRestart,
    kReadBit,
    kMasterAck,
    kStop
  };

  static void on_tick(void* self, sim::Cycles) {
    auto* t = static_cast<I2cTransfer*>(self);
    AsyncIo::Section section(t->service_);
    t->tick();
    t->service_.transfer_stepped(t);  // may destroy t (the section keeps the service)
  }

  void scl(bool high) { wr(high ? kControlS : kControlC, kScl); }
  void sda(bool high) { wr(high ? kControlS : kControlC, kSda); }
  bool sample() { return (rd(kControl) & kSda) != 0; }
  void stop() {
    sda(false);
    scl(true);
    sda(true);
  }
  // Clocks one bit out (SCL is low on entry and exit).
  void send_bit(bool bit) {
    sda(bit);
    scl(true);
    scl(false);
  }
  bool receive_bit() {
    sda(true);
    scl(true);
    const bool bit = sample();
    scl(false);
    return bit;
  }
  void restore_device() override { phase_ = Phase::kIdle; }
  // A failure after START: release the bus first.
  void fail(std::int32_t status) {
    stop();
    end(status);
  }
  // The next 8 bits to clock out (or in) in `phase`.
  void next_byte(std::uint8_t byte, Phase phase) {
    byte_ = byte;
    bit_ = 8;
    phase_ = phase;
  }
  // START (or repeated START: SCL is low on entry), then the address byte for `read`.
  void start_condition(bool read) {
    sda(true);
    scl(true);
    sda(false);
    scl(false);
    reading_ = read;
    next_byte(static_cast<std::uint8_t>(address_ << 1 | (read ? 1 : 0)), Phase::kAddress);
  }

  void tick() {
    bool again = true;
    switch (phase_) {
      case Phase::kIdle:
        return;
      case Phase::kStart:
        start_condition(wr_len_ == 0);
        break;
      case Phase::kAddress:
      case Phase::kWriteBit:
        send_bit(((byte_ >> --bit_) & 1) != 0);
        if (bit_ == 0) phase_ = phase_ == Phase::kAddress ? Phase::kAddressAck : Phase::kWriteAck;
        break;
      case Phase::kAddressAck:
      case Phase::kWriteAck: {
        const bool nack = receive_bit();
        if (nack) return fail(kDeviceError);
        if (phase_ == Phase::kWriteAck) done_ = ++written_;
        if (!reading_ && written_ < wr_len_) {
          const auto src = client_.guest(wr_ptr_ + written_, 1);
          if (src.empty()) return fail(kOutsideMemory);
          next_byte(src[0], Phase::kWriteBit);
        } else if (!reading_ && rd_len_ != 0) {
          phase_ = Phase::kRestart;
        } else if (reading_) {
          next_byte(0, Phase::kReadBit);
        } else {
          phase_ = Phase::kStop;
        }
        break;
      }
      case Phase::kRestart:
        start_condition(true);
        break;
      case Phase::kReadBit:
        byte_ = static_cast<std::uint8_t>(byte_ << 1 | (receive_bit() ? 1 : 0));
        if (--bit_ == 0) {
          const auto dst = client_.guest(rd_ptr_ + read_, 1);
          if (dst.empty()) return fail(kOutsideMemory);
          dst[0] = byte_;
          ++read_;
          done_ = written_ + read_;
          phase_ = Phase::kMasterAck;
        }
        break;
      case Phase::kMasterAck:
        send_bit(read_ == rd_len_);  // NACK the last byte
        if (read_ < rd_len_) {
          next_byte(0, Phase::kReadBit);
        } else {
          phase_ = Phase::kStop;
        }
        break;
      case Phase::kStop:
        stop();
        again = false;
        end(bus_fault_ ? kBusError : kDone);
        break;
    }
    if (bus_fault_ && phase_ != Phase::kIdle) return end(kBusError);
    if (again && phase_ != Phase::kIdle) service_.board().clock().schedule_in(tick_, bit_cycles_);
  }

  const std::uint8_t address_;
  const std::uint32_t wr_ptr_, wr_len_, rd_ptr_, rd_len_;
  sim::Cycles bit_cycles_ = 250;
  sim::SimEvent tick_{&I2cTransfer::on_tick, this};
  Phase phase_ = Phase::kIdle;
  bool reading_ = false;
  std::uint8_t byte_ = 0;
  unsigned bit_ = 0;
  std::uint32_t written_ = 0, read_ = 0;
};
}  // namespace

std::unique_ptr<Transfer> make_i2c_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                            RegisterWindow regs, std::uint8_t address,
                                            std::uint32_t wr_ptr, std::uint32_t wr_len,
                                            std::uint32_t rd_ptr, std::uint32_t rd_len) {
  return std::make_unique<I2cTransfer>(service, client, op, regs, address, wr_ptr, wr_len, rd_ptr,
                                       rd_len);
}

}  // namespace wasmio::io::async
