#include "pl081.h"

#include "sim_board.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kIntStatus = 0x000, kIntTcStatus = 0x004, kIntTcClear = 0x008,
                        kIntErrorStatus = 0x00C, kIntErrClr = 0x010, kRawIntTcStatus = 0x014,
                        kRawIntErrorStatus = 0x018, kEnbldChns = 0x01C, kSoftBReq = 0x020,
                        kSoftSReq = 0x024, kSoftLBReq = 0x028, kSoftLSReq = 0x02C,
                        kConfiguration = 0x030, kSync = 0x034, kChannelBase = 0x100;
constexpr std::uint32_t kCfgE = 1u << 0, kCfgIe = 1u << 14, kCfgItc = 1u << 15, kCfgH = 1u << 18;
constexpr std::uint32_t kCtrlSi = 1u << 26, kCtrlDi = 1u << 27, kCtrlI = 1u << 31;
constexpr PeripheralId kPl081Id = {0x00, 0x00, 0x00, 0x00, 0x81, 0x10,
                                   0x04, 0x08, 0x0d, 0xf0, 0x05, 0xb1};

unsigned flow(std::uint32_t config) {
  return (config >> 11) & 7;
}
unsigned src_periph(std::uint32_t config) {
  return (config >> 1) & 0xF;
}
unsigned dst_periph(std::uint32_t config) {
  return (config >> 6) & 0xF;
}
unsigned swidth(std::uint32_t control) {
  return (control >> 18) & 7;
}
unsigned dwidth(std::uint32_t control) {
  return (control >> 21) & 7;
}
}  // namespace

Pl081::Pl081(DeviceConfig config, SimContext context, SimBoard& bus)
    : Apb32Device(std::move(config), context), bus_(bus) {
  reset();
}

void Pl081::reset() {
  clock().cancel(step_);
  ch_ = {};
  raw_tc_ = raw_err_ = config_ = sync_ = soft_req_ = 0;
  update();
}

void Pl081::connect_request(unsigned line, Request request) {
  if (line < kRequests) requests_[line] = std::move(request);
}

bool Pl081::request_active(unsigned line) const {
  if ((soft_req_ >> line & 1) != 0) return true;
  return requests_[line] && requests_[line]();
}

bool Pl081::can_move(unsigned n) const {
  const Channel& c = ch_[n];
  if ((c.config & kCfgE) == 0 || (c.config & kCfgH) != 0) return false;
  if ((c.control & 0xFFF) == 0) return true;  // completes (or loads the next LLI) at once
  switch (flow(c.config)) {
    case 0:
      return true;
    case 1:
      return request_active(dst_periph(c.config));
    case 2:
      return request_active(src_periph(c.config));
    case 3:
      return request_active(src_periph(c.config)) && request_active(dst_periph(c.config));
    default:
      return false;
  }
}

void Pl081::update() {
  std::uint32_t masked = 0;
  for (unsigned n = 0; n < kChannels; ++n) {
    if ((raw_tc_ >> n & 1) != 0 && (ch_[n].config & kCfgItc) != 0) masked |= 1u << n;
    if ((raw_err_ >> n & 1) != 0 && (ch_[n].config & kCfgIe) != 0) masked |= 1u << n;
  }
  irq_.set(masked != 0);
}

void Pl081::end_channel(unsigned n, bool error) {
  Channel& c = ch_[n];
  c.config &= ~kCfgE;
  if (error) {
    raw_err_ |= 1u << n;
  } else if ((c.control & kCtrlI) != 0) {
    raw_tc_ |= 1u << n;
  }
  update();
}

void Pl081::schedule() {
  if ((config_ & 1) == 0 || step_.armed()) return;
  bool enabled = false, movable = false;
  for (unsigned n = 0; n < kChannels; ++n) {
    if ((ch_[n].config & kCfgE) != 0) enabled = true;
    if (can_move(n)) movable = true;
  }
  if (movable) {
    clock().schedule_in(step_, element_cycles_);
  } else if (enabled) {
    clock().schedule_in(step_, request_poll_cycles_);
  }
}

void Pl081::request_changed() {
  if (step_.armed() && step_.deadline() > now() + element_cycles_) clock().cancel(step_);
  schedule();
}

void Pl081::on_step(void* self, Cycles) {
  auto* d = static_cast<Pl081*>(self);
  d->step();
  d->schedule();
}

void Pl081::step() {
  if ((config_ & 1) == 0) return;
  for (unsigned n = 0; n < kChannels; ++n) {
    if (!can_move(n)) continue;
    Channel& c = ch_[n];
    if ((c.control & 0xFFF) != 0) {
      const unsigned width = 1u << swidth(c.control);
      const BusRead r = bus_.master_read(c.src, width);
      if (!r.ok() || bus_.master_write(c.dst, width, r.value) != BusStatus::kOk) {
        end_channel(n, true);
        return;
      }
      ++elements_;
      // A software request is served by one element (single request).
      const unsigned fc = flow(c.config);
      if (fc == 1 || fc == 3) soft_req_ &= ~(1u << dst_periph(c.config));
      if (fc == 2 || fc == 3) soft_req_ &= ~(1u << src_periph(c.config));
      if ((c.control & kCtrlSi) != 0) c.src += width;
      if ((c.control & kCtrlDi) != 0) c.dst += width;
      c.control = (c.control & ~0xFFFu) | ((c.control & 0xFFF) - 1);
      if ((c.control & 0xFFF) != 0) return;
    }
    // Transfer done: the next linked item, or the end of the channel.
    if (c.lli == 0) {
      end_channel(n, false);
      return;
    }
    const std::uint32_t item = c.lli & ~3u;
    std::uint32_t words[4];
    for (unsigned i = 0; i < 4; ++i) {
      const BusRead r = bus_.master_read(item + 4 * i, 4);
      if (!r.ok()) {
        end_channel(n, true);
        return;
      }
      words[i] = static_cast<std::uint32_t>(r.value);
    }
    // The finished item's TC interrupt (Control.I) comes at the end of each item.
    if ((c.control & kCtrlI) != 0) {
      raw_tc_ |= 1u << n;
      update();
    }
    c.src = words[0];
    c.dst = words[1];
    c.lli = words[2];
    c.control = words[3];
    return;
  }
}

std::uint32_t Pl081::read_register(std::uint32_t offset) {
  if (offset >= kChannelBase && offset < kChannelBase + 0x20 * kChannels) {
    const Channel& c = ch_[(offset - kChannelBase) / 0x20];
    switch ((offset - kChannelBase) % 0x20) {
      case 0x00:
        return c.src;
      case 0x04:
        return c.dst;
      case 0x08:
        return c.lli;
      case 0x0C:
        return c.control;
      case 0x10:
        return c.config;  // A (bit 17) reads 0: no data is ever held in a FIFO
      default:
        return 0;
    }
  }
  auto masked_tc = [&] {
    std::uint32_t m = 0;
    for (unsigned n = 0; n < kChannels; ++n) {
      if ((raw_tc_ >> n & 1) != 0 && (ch_[n].config & kCfgItc) != 0) m |= 1u << n;
    }
    return m;
  };
  auto masked_err = [&] {
    std::uint32_t m = 0;
    for (unsigned n = 0; n < kChannels; ++n) {
      if ((raw_err_ >> n & 1) != 0 && (ch_[n].config & kCfgIe) != 0) m |= 1u << n;
    }
    return m;
  };
  switch (offset) {
    case kIntStatus:
      return masked_tc() | masked_err();
    case kIntTcStatus:
      return masked_tc();
    case kIntErrorStatus:
      return masked_err();
    case kRawIntTcStatus:
      return raw_tc_;
    case kRawIntErrorStatus:
      return raw_err_;
    case kEnbldChns: {
      std::uint32_t e = 0;
      for (unsigned n = 0; n < kChannels; ++n) e |= (ch_[n].config & kCfgE) != 0 ? 1u << n : 0;
      return e;
    }
    case kSoftBReq:
    case kSoftSReq:
    case kSoftLBReq:
    case kSoftLSReq:
      return soft_req_;
    case kConfiguration:
      return config_;
    case kSync:
      return sync_;
    default: {
      std::uint32_t id = 0;
      return read_peripheral_id(kPl081Id, offset, id) ? id : 0;
    }
  }
}

void Pl081::write_register(std::uint32_t offset, std::uint32_t value) {
  if (offset >= kChannelBase && offset < kChannelBase + 0x20 * kChannels) {
    const unsigned n = (offset - kChannelBase) / 0x20;
    Channel& c = ch_[n];
    switch ((offset - kChannelBase) % 0x20) {
      case 0x00:
        c.src = value;
        break;
      case 0x04:
        c.dst = value;
        break;
      case 0x08:
        c.lli = value & ~3u;
        break;
      case 0x0C:
        c.control = value;
        break;
      case 0x10: {
        const bool starting = (c.config & kCfgE) == 0 && (value & kCfgE) != 0;
        c.config = value & 0x7FFFF & ~(1u << 17);
        if (starting && (flow(c.config) >= 4 || swidth(c.control) > 2 ||
                         swidth(c.control) != dwidth(c.control) || (config_ & 2) != 0)) {
          end_channel(n, true);  // not modelled: peripheral flow control, packing, big endian
        }
        update();
        break;
      }
      default:
        return;
    }
    schedule();
    return;
  }
  switch (offset) {
    case kIntTcClear:
      raw_tc_ &= ~(value & 3);
      break;
    case kIntErrClr:
      raw_err_ &= ~(value & 3);
      break;
    case kSoftBReq:
    case kSoftSReq:
    case kSoftLBReq:
    case kSoftLSReq:
      soft_req_ |= value & 0xFFFF;
      break;
    case kConfiguration:
      config_ = value & 3;
      break;
    case kSync:
      sync_ = value & 0xFFFF;
      break;
    default:
      return;
  }
  update();
  schedule();
}

}  // namespace wasmio::io::sim
