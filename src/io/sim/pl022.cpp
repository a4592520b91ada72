#include "pl022.h"

#include <algorithm>

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kCr0 = 0x00, kCr1 = 0x04, kDr = 0x08, kSr = 0x0C, kCpsr = 0x10,
                        kImsc = 0x14, kRis = 0x18, kMis = 0x1C, kIcr = 0x20, kDmacr = 0x24;
constexpr std::uint32_t kCr1Lbm = 1u << 0, kCr1Sse = 1u << 1, kCr1Ms = 1u << 2;
constexpr std::uint32_t kSrTfe = 1u << 0, kSrTnf = 1u << 1, kSrRne = 1u << 2, kSrRff = 1u << 3,
                        kSrBsy = 1u << 4;
constexpr std::uint32_t kRor = 1u << 0, kRt = 1u << 1, kRx = 1u << 2, kTx = 1u << 3;
// PrimeCell IDs live at 0xFE0; the 12-entry CMSDK table starts at 0xFD0 with PID4-7 = 0.
constexpr PeripheralId kPl022Id = {0x00, 0x00, 0x00, 0x00, 0x22, 0x10,
                                   0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

Pl022::Pl022(DeviceConfig config, SimContext context) : Apb32Device(std::move(config), context) {
  reset();
}

void Pl022::reset() {
  clock().cancel(frame_done_);
  clock().cancel(rx_timeout_);
  cr0_ = cr1_ = cpsr_ = imsc_ = dmacr_ = 0;
  ris_latched_ = 0;
  tx_.clear();
  rx_.clear();
  shifting_ = false;
  update();
}

Cycles Pl022::frame_cycles() const {
  const Cycles bits = (cr0_ & 0xF) + 1;
  const Cycles cpsdvsr = std::max<std::uint32_t>(cpsr_ & 0xFE, 2);
  const Cycles scr = (cr0_ >> 8) & 0xFF;
  return bits * cpsdvsr * (1 + scr);
}

void Pl022::update() {
  std::uint32_t ris = ris_latched_;
  if (rx_.count >= 4) ris |= kRx;
  if (tx_.count <= 4) ris |= kTx;
  irq_.set((ris & imsc_) != 0);
}

void Pl022::try_start_frame() {
  if (shifting_ || (cr1_ & kCr1Sse) == 0 || (cr1_ & kCr1Ms) != 0 || tx_.empty()) return;
  shifter_ = tx_.pop();
  shifting_ = true;
  clock().schedule_in(frame_done_, frame_cycles());
  update();
}

void Pl022::on_frame_done(void* self, Cycles) {
  auto* s = static_cast<Pl022*>(self);
  s->shifting_ = false;
  const std::uint16_t mask = s->data_mask();
  std::uint16_t received = 0;
  if ((s->cr1_ & kCr1Lbm) != 0) {
    received = s->shifter_;
  } else if (s->slave_) {
    received = s->slave_(s->shifter_ & mask);
  }
  if (s->rx_.full()) {
    s->ris_latched_ |= kRor;
  } else {
    s->rx_.push(received & mask);
  }
  // Receive timeout: 32 bit periods of silence with data waiting.
  const Cycles bit = s->frame_cycles() / ((s->cr0_ & 0xF) + 1);
  s->clock().schedule_in(s->rx_timeout_, 32 * bit);
  s->try_start_frame();
  s->update();
}

void Pl022::on_rx_timeout(void* self, Cycles) {
  auto* s = static_cast<Pl022*>(self);
  if (!s->rx_.empty() && !s->shifting_) s->ris_latched_ |= kRt;
  s->update();
}

std::uint32_t Pl022::read_register(std::uint32_t offset) {
  switch (offset) {
    case kCr0: return cr0_;
    case kCr1: return cr1_;
    case kDr: {
      if (rx_.empty()) return 0;
      const std::uint16_t v = rx_.pop();
      update();
      return v;
    }
    case kSr: {
      std::uint32_t sr = 0;
      if (tx_.empty()) sr |= kSrTfe;
      if (!tx_.full()) sr |= kSrTnf;
      if (!rx_.empty()) sr |= kSrRne;
      if (rx_.full()) sr |= kSrRff;
      if (shifting_ || !tx_.empty()) sr |= kSrBsy;
      return sr;
    }
    case kCpsr: return cpsr_;
    case kImsc: return imsc_;
    case kRis:
    case kMis: {
      std::uint32_t ris = ris_latched_;
      if (rx_.count >= 4) ris |= kRx;
      if (tx_.count <= 4) ris |= kTx;
      return offset == kRis ? ris : (ris & imsc_);
    }
    case kDmacr: return dmacr_;
    default: {
      std::uint32_t id = 0;
      return read_peripheral_id(kPl022Id, offset, id) ? id : 0;
    }
  }
}

void Pl022::write_register(std::uint32_t offset, std::uint32_t value) {
  switch (offset) {
    case kCr0: cr0_ = value & 0xFFFF; break;
    case kCr1: cr1_ = value & 0xF; break;
    case kDr:
      if (!tx_.full()) tx_.push(static_cast<std::uint16_t>(value & data_mask()));
      break;
    case kCpsr: cpsr_ = value & 0xFE; break;
    case kImsc: imsc_ = value & 0xF; break;
    case kIcr: ris_latched_ &= ~(value & (kRor | kRt)); break;
    case kDmacr: dmacr_ = value & 3; break;
    default: return;
  }
  try_start_frame();
  update();
}

}  // namespace wasmio::io::sim
