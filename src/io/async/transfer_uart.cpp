// UART block write/read on a CMSDK APB UART, driven by its TX / RX (and overrun) interrupts.
// Write: bytes go into the holding buffer while TXFULL is clear; each TX interrupt (buffer
// emptied) clears INTSTATUS.TX and moves the next chunk; done when the last byte was accepted.
// Read: each RX interrupt drains RXFULL into the buffer; an RX overrun ends it with
// kDeviceError. The driver has configured BAUDDIV and the TX/RX enables; the transfer owns the
// CTRL interrupt enables of its direction while it runs and restores them at the end.
#include <string_view>

#include "../board/board_properties.h"
#include "uart_transfer_base.h"

namespace wasmio::io::async {

namespace {
using namespace uart_reg;
constexpr std::uint32_t kTxFull = 1, kRxFull = 2, kRxOverrun = 8;
constexpr std::uint32_t kTxInt = 4, kRxInt = 8, kRxOvrInt = 32;
constexpr std::uint32_t kIntTx = 1, kIntRx = 2, kIntRxOvr = 8;

std::uint32_t line_named(const BoardNode& node, std::string_view name, std::size_t index) {
  const auto names = property_strings(node, "interrupt-names");
  for (std::size_t i = 0; i < names.size() && i < node.irqs.size(); ++i) {
    if (names[i] == name) return node.irqs[i];
  }
  return names.empty() && index < node.irqs.size() ? node.irqs[index] : UINT32_MAX;
}

class UartTransfer final : public UartTransferBase {
 public:
  UartTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, OpKind kind, RegisterWindow regs,
               const BoardNode& node, std::uint32_t ptr, std::uint32_t len)
      : UartTransferBase(s, c, op, kind, regs, ptr, len), node_(node) {}

  std::int32_t start() override {
    std::uint32_t ctrl = 0;
    if (!direction_enabled(&ctrl)) return kInvalid;
    const bool write = writing();
    own_ = write ? kTxInt : (kRxInt | kRxOvrInt);
    saved_ = ctrl & own_;
    if (write) {
      use_line(line_named(node_, "tx", 1));
    } else {
      use_line(line_named(node_, "rx", 0));
      use_line(line_named(node_, "overrun", 2));
    }
    wr(kCtrl, ctrl | own_);
    step();
    return kRunning;
  }

  void service() override {
    wr(kIntClear, writing() ? kIntTx : kIntRx);
    step();
  }

  void quiesce() override { restore(); }

 private:
  void step() {
    const std::uint32_t chunk = service_.options().chunk_bytes;
    if (writing()) {
      for (std::uint32_t n = 0; n < chunk && done_ < len_; ++n) {
        if ((rd(kState) & kTxFull) != 0) break;
        const auto bytes = client_.guest(ptr_ + done_, 1);
        if (bytes.empty()) return end(kOutsideMemory);
        wr(kData, bytes[0]);
        ++done_;
      }
      if (bus_fault_) return end(kBusError);
      if (done_ == len_) end(kDone);
      return;
    }
    for (std::uint32_t n = 0; n < chunk && done_ < len_; ++n) {
      const std::uint32_t state = rd(kState);
      if ((state & kRxOverrun) != 0) {
        wr(kState, kRxOverrun);
        wr(kIntClear, kIntRxOvr);
        return end(kDeviceError);
      }
      if ((state & kRxFull) == 0) break;
      const auto bytes = client_.guest(ptr_ + done_, 1);
      if (bytes.empty()) return end(kOutsideMemory);
      bytes[0] = static_cast<std::uint8_t>(rd(kData));
      ++done_;
    }
    if (bus_fault_) return end(kBusError);
    if (done_ == len_) end(kDone);
  }
  void restore_device() override {
    const std::uint32_t ctrl = rd(kCtrl);
    wr(kCtrl, (ctrl & ~own_) | saved_);
  }

  const BoardNode& node_;
  std::uint32_t own_ = 0, saved_ = 0;
};
}  // namespace

std::unique_ptr<Transfer> make_uart_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                             OpKind kind, RegisterWindow regs,
                                             const BoardNode& node, std::uint32_t ptr,
                                             std::uint32_t len) {
  return std::make_unique<UartTransfer>(service, client, op, kind, regs, node, ptr, len);
}

}  // namespace wasmio::io::async
