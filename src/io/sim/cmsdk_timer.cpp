#include "cmsdk_timer.h"

#include "countdown.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kCtrl = 0x00, kValue = 0x04, kReload = 0x08, kIntStatus = 0x0C;
constexpr std::uint32_t kCtrlEnable = 1u << 0, kCtrlIrqEnable = 1u << 3;
constexpr PeripheralId kTimerId = {0x04, 0x00, 0x00, 0x00, 0x22, 0xb8,
                                   0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

CmsdkTimer::CmsdkTimer(DeviceConfig config, SimContext context)
    : Apb32Device(std::move(config), context) {
  reset();
}

void CmsdkTimer::reset() {
  clock().cancel(expiry_);
  ctrl_ = 0;
  reload_ = 0;
  value_ = 0;
  intstatus_ = 0;
  synced_ = now();
  irq_.set(false);
}

void CmsdkTimer::sync() {
  const Cycles t = now();
  if ((ctrl_ & kCtrlEnable) != 0 && t > synced_) {
    const CountdownStep step = countdown_advance(value_, reload_, false, t - synced_);
    value_ = step.value;
    if (step.triggers > 0 && (ctrl_ & kCtrlIrqEnable) != 0) intstatus_ = 1;
  }
  synced_ = t;
  irq_.set(intstatus_ != 0);
}

// Only a trigger that changes INTSTATUS needs an event; everything else is computed on access.
void CmsdkTimer::reschedule() {
  clock().cancel(expiry_);
  if ((ctrl_ & kCtrlEnable) == 0 || (ctrl_ & kCtrlIrqEnable) == 0 || intstatus_ != 0) return;
  const std::uint64_t ticks = countdown_ticks_to_trigger(value_, reload_, false);
  if (ticks != UINT64_MAX) clock().schedule(expiry_, synced_ + ticks);
}

void CmsdkTimer::on_event(void* self, Cycles) {
  auto* t = static_cast<CmsdkTimer*>(self);
  t->sync();
  t->reschedule();
}

std::uint32_t CmsdkTimer::read_register(std::uint32_t offset) {
  switch (offset) {
    case kCtrl: return ctrl_;
    case kValue: sync(); return value_;
    case kReload: return reload_;
    case kIntStatus: sync(); return intstatus_;
    default: {
      std::uint32_t id = 0;
      return read_peripheral_id(kTimerId, offset, id) ? id : 0;
    }
  }
}

void CmsdkTimer::write_register(std::uint32_t offset, std::uint32_t value) {
  sync();
  switch (offset) {
    case kCtrl: ctrl_ = value & 0xF; break;
    case kValue: value_ = value; break;
    case kReload:
      reload_ = value;
      value_ = value;
      break;
    case kIntStatus: intstatus_ &= ~(value & 1); break;
    default: return;  // ID registers are read-only; the rest is reserved
  }
  irq_.set(intstatus_ != 0);
  reschedule();
}

}  // namespace wasmio::io::sim
