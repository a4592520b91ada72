// What the UART block transfers share, interrupt-driven (transfer_uart.cpp) and through the
// PL081 (transfer_uart_dma.cpp): the guest buffer, the CMSDK UART registers they touch, and the
// start check — the driver enabled the direction (CTRL TX/RX enable) and the window answers.
#pragma once

#include "transfer.h"

namespace wasmio::io::async {

namespace uart_reg {
constexpr std::uint64_t kData = 0x00, kState = 0x04, kCtrl = 0x08, kIntClear = 0x0C;
constexpr std::uint32_t kTxEn = 1, kRxEn = 2;
}  // namespace uart_reg

class UartTransferBase : public Transfer {
 public:
  UartTransferBase(AsyncIo& s, AsyncClient& c, std::int32_t op, OpKind kind, RegisterWindow regs,
                   std::uint32_t ptr, std::uint32_t len)
      : Transfer(s, c, op, kind, regs, regs.base()), ptr_(ptr), len_(len) {}

 protected:
  bool writing() const { return kind_ == OpKind::kUartWrite; }
  // Reads CTRL as the driver left it; false when the direction is not enabled (or the window
  // failed): the start is then refused with kInvalid and nothing was changed.
  bool direction_enabled(std::uint32_t* ctrl) {
    *ctrl = rd(uart_reg::kCtrl);
    return (*ctrl & (writing() ? uart_reg::kTxEn : uart_reg::kRxEn)) != 0 && !bus_fault_;
  }

  const std::uint32_t ptr_, len_;
};

}  // namespace wasmio::io::async
