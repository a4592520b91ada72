#include "cmsdk_uart.h"

#include <algorithm>

namespace wasmio::io::sim {

namespace {
constexpr std::uint32_t kData = 0x00, kState = 0x04, kCtrl = 0x08, kIntStatus = 0x0C,
                        kBaudDiv = 0x10;
constexpr std::uint32_t kTxFull = 1u << 0, kRxFull = 1u << 1, kTxOverrun = 1u << 2,
                        kRxOverrun = 1u << 3;
constexpr std::uint32_t kTxEnable = 1u << 0, kRxEnable = 1u << 1, kTxIntEnable = 1u << 2,
                        kRxIntEnable = 1u << 3;
constexpr std::uint32_t kIntTx = 1u << 0, kIntRx = 1u << 1, kIntOverruns = 3u << 2;
constexpr PeripheralId kUartId = {0x04, 0x00, 0x00, 0x00, 0x21, 0xb8,
                                  0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
}  // namespace

CmsdkUart::CmsdkUart(DeviceConfig config, SimContext context)
    : Apb32Device(std::move(config), context) {
  reset();
}

void CmsdkUart::reset() {
  clock().cancel(tx_done_);
  clock().cancel(rx_arrival_);
  state_ = ctrl_ = intstatus_ = bauddiv_ = 0;
  txbuf_ = rxbuf_ = 0;
  shifting_ = false;
  rx_wire_.clear();
  update();
}

Cycles CmsdkUart::frame_cycles() const { return 10 * Cycles{std::max<std::uint32_t>(bauddiv_, 16)}; }

void CmsdkUart::update() {
  intstatus_ = (intstatus_ & ~kIntOverruns) | (state_ & (ctrl_ >> 2) & kIntOverruns);
  tx_irq_.set((intstatus_ & kIntTx) != 0);
  rx_irq_.set((intstatus_ & kIntRx) != 0);
  overrun_irq_.set((intstatus_ & kIntOverruns) != 0);
  combined_irq_.set(intstatus_ != 0);
}

void CmsdkUart::try_start_tx() {
  if (shifting_ || (ctrl_ & kTxEnable) == 0 || (state_ & kTxFull) == 0) return;
  shifter_ = txbuf_;
  shifting_ = true;
  state_ &= ~kTxFull;  // buffer emptied into the shifter: that is the TX interrupt
  if ((ctrl_ & kTxIntEnable) != 0) intstatus_ |= kIntTx;
  clock().schedule_in(tx_done_, frame_cycles());
  update();
}

void CmsdkUart::on_tx_done(void* self, Cycles now) {
  auto* u = static_cast<CmsdkUart*>(self);
  u->shifting_ = false;
  u->sink_->put(u->shifter_, now);
  u->try_start_tx();
}

void CmsdkUart::inject_rx(std::span<const std::uint8_t> bytes) {
  rx_wire_.insert(rx_wire_.end(), bytes.begin(), bytes.end());
  arm_rx();
}

void CmsdkUart::inject_rx(std::string_view text) {
  inject_rx(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                          text.size()));
}

// The next byte on the wire completes one frame from now.
void CmsdkUart::arm_rx() {
  if (rx_wire_.empty() || rx_arrival_.armed()) return;
  if (rx_flow_control_ && ((ctrl_ & kRxEnable) == 0 || (state_ & kRxFull) != 0)) return;
  clock().schedule_in(rx_arrival_, frame_cycles());
}

void CmsdkUart::on_rx_arrival(void* self, Cycles) {
  auto* u = static_cast<CmsdkUart*>(self);
  if (u->rx_wire_.empty()) return;
  const bool enabled = (u->ctrl_ & kRxEnable) != 0;
  if (u->rx_flow_control_ && (!enabled || (u->state_ & kRxFull) != 0)) return;  // held; re-armed later
  const std::uint8_t byte = u->rx_wire_.front();
  u->rx_wire_.pop_front();
  if (enabled) {
    if ((u->state_ & kRxFull) != 0) u->state_ |= kRxOverrun;
    u->rxbuf_ = byte;
    u->state_ |= kRxFull;
    if ((u->ctrl_ & kRxIntEnable) != 0) u->intstatus_ |= kIntRx;
    u->update();
  }
  u->arm_rx();
}

std::uint32_t CmsdkUart::read_register(std::uint32_t offset) {
  switch (offset) {
    case kData: {
      const std::uint32_t r = rxbuf_;
      state_ &= ~kRxFull;
      update();
      arm_rx();
      return r;
    }
    case kState: return state_;
    case kCtrl: return ctrl_;
    case kIntStatus: return intstatus_;
    case kBaudDiv: return bauddiv_;
    default: {
      std::uint32_t id = 0;
      return read_peripheral_id(kUartId, offset, id) ? id : 0;
    }
  }
}

void CmsdkUart::write_register(std::uint32_t offset, std::uint32_t value) {
  switch (offset) {
    case kData:
      txbuf_ = static_cast<std::uint8_t>(value);
      if ((state_ & kTxFull) != 0) {
        state_ |= kTxOverrun;
        update();
      } else {
        state_ |= kTxFull;
        update();
        try_start_tx();
      }
      break;
    case kState:
      state_ &= ~(value & (kTxOverrun | kRxOverrun));
      update();
      break;
    case kCtrl:
      ctrl_ = value & 0x7F;
      update();
      try_start_tx();  // a byte held while TX was disabled goes out now (silicon; QEMU keeps it)
      arm_rx();
      break;
    case kIntStatus:
      state_ &= ~(value & kIntOverruns);
      intstatus_ &= ~value;
      update();
      break;
    case kBaudDiv: bauddiv_ = value & 0xFFFFF; break;
    default: break;
  }
}

}  // namespace wasmio::io::sim
