#include "cmsdk_dualtimer.h"

#include "countdown.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kLoad = 0x00, kValue = 0x04, kControl = 0x08, kIntClr = 0x0C,
                        kRis = 0x10, kMis = 0x14, kBgLoad = 0x18;
constexpr std::uint32_t kItcr = 0xF00, kItop = 0xF04;
constexpr PeripheralId kDualTimerId = {0x04, 0x00, 0x00, 0x00, 0x23, 0xb8,
                                       0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

Cycles CmsdkDualTimer::Counter::divider() const {
  switch ((control >> 2) & 3) {
    case 0: return 1;
    case 1: return 16;
    default: return 256;
  }
}

CmsdkDualTimer::CmsdkDualTimer(DeviceConfig config, SimContext context)
    : Apb32Device(std::move(config), context, SubwordAccess::kByteLanes) {
  for (auto& c : counters_) c.owner = this;
  reset();
}

void CmsdkDualTimer::reset() {
  for (auto& c : counters_) {
    clock().cancel(c.expiry);
    c.load = 0;
    c.value = 0xFFFFFFFF;
    c.control = 0x20;
    c.ris = 0;
    c.synced = now();
    c.residue = 0;
  }
  itcr_ = 0;
  itop_ = 0;
  update_outputs();
}

void CmsdkDualTimer::sync(Counter& c) {
  const Cycles t = now();
  if (c.enabled() && t > c.synced) {
    const Cycles cycles = c.residue + (t - c.synced);
    const Cycles div = c.divider();
    const CountdownStep step =
        countdown_advance(c.value & c.mask(), c.reload(), c.one_shot(), cycles / div);
    c.value = (c.value & ~c.mask()) | step.value;  // 16-bit mode: the top half stays
    c.residue = cycles % div;
    if (step.triggers > 0) c.ris = 1;
  }
  c.synced = t;
}

void CmsdkDualTimer::reschedule(Counter& c) {
  clock().cancel(c.expiry);
  if (!c.enabled() || !c.inten() || c.ris != 0) return;
  const std::uint64_t ticks = countdown_ticks_to_trigger(c.value & c.mask(), c.reload(), c.one_shot());
  if (ticks == UINT64_MAX) return;
  const Cycles div = c.divider();
  clock().schedule(c.expiry, c.synced + ticks * div - c.residue);
}

void CmsdkDualTimer::update_outputs() {
  bool out[2];
  for (int i = 0; i < 2; ++i) {
    out[i] = (itcr_ & 1) != 0 ? ((itop_ >> i) & 1) != 0
                              : (counters_[i].ris != 0 && counters_[i].inten());
    counters_[i].irq.set(out[i]);
  }
  combined_.set(out[0] || out[1]);
}

void CmsdkDualTimer::on_event(void* counter, Cycles) {
  auto* c = static_cast<Counter*>(counter);
  c->owner->sync(*c);
  c->owner->update_outputs();
  c->owner->reschedule(*c);
}

std::uint32_t CmsdkDualTimer::read_register(std::uint32_t offset) {
  if (offset < 0x40) {
    Counter& c = counters_[offset >> 5];
    sync(c);
    switch (offset & 0x1F) {
      case kLoad:
      case kBgLoad: return c.load;
      case kValue: return c.value;
      case kControl: return c.control;
      case kRis: return c.ris;
      case kMis: return c.ris & (c.inten() ? 1u : 0u);
      default: return 0;
    }
  }
  if (offset == kItcr) return itcr_;
  std::uint32_t id = 0;
  return read_peripheral_id(kDualTimerId, offset, id) ? id : 0;
}

void CmsdkDualTimer::write_register(std::uint32_t offset, std::uint32_t value) {
  if (offset < 0x40) {
    Counter& c = counters_[offset >> 5];
    sync(c);
    switch (offset & 0x1F) {
      case kLoad:
        c.load = value;
        c.value = value;
        c.residue = 0;  // the prescaler restarts with the count
        break;
      case kBgLoad: c.load = value; break;
      case kControl: {
        const bool was_enabled = c.enabled();
        c.control = value & 0xEF;
        if (!was_enabled && c.enabled()) c.residue = 0;
        break;
      }
      case kIntClr: c.ris = 0; break;
      default: return;
    }
    update_outputs();
    reschedule(c);
    return;
  }
  if (offset == kItcr) {
    itcr_ = value & 1;
  } else if (offset == kItop) {
    itop_ = value & 3;
  } else {
    return;
  }
  update_outputs();
}

}  // namespace wasmio::io::sim
