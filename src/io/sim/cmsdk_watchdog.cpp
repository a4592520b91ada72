#include "cmsdk_watchdog.h"

#include "countdown.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kLoad = 0x000, kValue = 0x004, kControl = 0x008, kIntClr = 0x00C,
                        kRis = 0x010, kMis = 0x014, kLock = 0xC00, kItcr = 0xF00, kItop = 0xF04;
constexpr std::uint32_t kUnlockKey = 0x1ACCE551;
constexpr PeripheralId kWatchdogId = {0x04, 0x00, 0x00, 0x00, 0x24, 0xb8,
                                      0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

CmsdkWatchdog::CmsdkWatchdog(DeviceConfig config, SimContext context)
    : Apb32Device(std::move(config), context, SubwordAccess::kByteLanes) {
  reset();
}

void CmsdkWatchdog::reset() {
  clock().cancel(expiry_);
  load_ = 0xFFFFFFFF;
  value_ = 0xFFFFFFFF;
  control_ = 0;
  ris_ = 0;
  locked_ = false;
  stopped_ = false;
  reset_requested_ = false;
  itcr_ = itop_ = 0;
  synced_ = now();
  update_outputs();
}

// Expiries always carry an event (each one changes state), so sync only counts down between them.
void CmsdkWatchdog::sync() {
  const Cycles t = now();
  if (running() && t > synced_) {
    value_ = countdown_advance(value_, load_, false, t - synced_).value;
  }
  synced_ = t;
}

void CmsdkWatchdog::expire() {
  if (ris_ == 0) {
    ris_ = 1;
  } else if ((control_ & 2) != 0) {
    stopped_ = true;
    if (!reset_requested_) {
      reset_requested_ = true;
      if (reset_callback_) reset_callback_(now());
    }
  }
}

void CmsdkWatchdog::reschedule() {
  clock().cancel(expiry_);
  if (!running()) return;
  const std::uint64_t ticks = countdown_ticks_to_trigger(value_, load_, false);
  if (ticks != UINT64_MAX) clock().schedule(expiry_, synced_ + ticks);
}

void CmsdkWatchdog::update_outputs() {
  const bool level = (itcr_ & 1) != 0 ? (itop_ & 2) != 0 : (ris_ != 0 && (control_ & 1) != 0);
  irq_.set(level);
}

void CmsdkWatchdog::on_event(void* self, Cycles) {
  auto* w = static_cast<CmsdkWatchdog*>(self);
  w->sync();
  w->expire();
  w->update_outputs();
  w->reschedule();
}

std::uint32_t CmsdkWatchdog::read_register(std::uint32_t offset) {
  sync();
  switch (offset) {
    case kLoad: return load_;
    case kValue: return value_;
    case kControl: return control_;
    case kRis: return ris_;
    case kMis: return ris_ & control_ & 1;
    case kLock: return locked_ ? 1 : 0;
    case kItcr: return itcr_;
    default: {
      std::uint32_t id = 0;
      return read_peripheral_id(kWatchdogId, offset, id) ? id : 0;
    }
  }
}

void CmsdkWatchdog::write_register(std::uint32_t offset, std::uint32_t value) {
  sync();
  if (offset == kLock) {
    locked_ = value != kUnlockKey;
    return;
  }
  if (locked_) return;
  switch (offset) {
    case kLoad:
      load_ = value;
      value_ = value;
      break;
    case kControl: {
      const bool was_counting = (control_ & 1) != 0;
      control_ = value & 3;
      if (!was_counting && (control_ & 1) != 0) value_ = load_;
      break;
    }
    case kIntClr:
      ris_ = 0;
      value_ = load_;
      break;
    case kItcr: itcr_ = value & 1; break;
    case kItop: itop_ = value & 3; break;
    default: return;
  }
  update_outputs();
  reschedule();
}

}  // namespace wasmio::io::sim
