// What the PL022 full-duplex transfers share, interrupt-driven (transfer_spi.cpp) and through
// the PL081 (transfer_spi_dma.cpp): the buffers, the registers they touch, and the start — the
// driver enabled the controller as master (CR1 SSE, not MS), the frame width (4..8 bits: one
// byte per frame, 9..16: two, little endian) divides the length, the driver's IMSC is kept for
// the end, and frames left in the RX FIFO by an earlier (cancelled) transfer are flushed, as
// Linux's pl022 driver does before each message.
#pragma once

#include "transfer.h"

namespace wasmio::io::async {

namespace spi_reg {
constexpr std::uint64_t kCr0 = 0x00, kCr1 = 0x04, kDr = 0x08, kSr = 0x0C, kImsc = 0x14, kRis = 0x18,
                        kIcr = 0x20, kDmacr = 0x24;
constexpr std::uint32_t kSse = 2, kMs = 4;
constexpr std::uint32_t kTnf = 2, kRne = 4;
constexpr std::uint32_t kRor = 1, kRt = 2, kRx = 4, kTx = 8;
constexpr std::uint32_t kRxDmae = 1, kTxDmae = 2;
}  // namespace spi_reg

class SpiTransferBase : public Transfer {
 public:
  SpiTransferBase(AsyncIo& s, AsyncClient& c, std::int32_t op, RegisterWindow regs,
                  std::uint32_t tx, std::uint32_t rx, std::uint32_t len)
      : Transfer(s, c, op, OpKind::kSpiTransfer, regs, regs.base()), tx_(tx), rx_(rx), len_(len) {}

 protected:
  // kRunning when the transfer may go ahead (width_, frames_, saved_imsc_ set), else kInvalid
  // with nothing changed.
  std::int32_t prepare() {
    using namespace spi_reg;
    const std::uint32_t cr1 = rd(kCr1);
    if ((cr1 & kSse) == 0 || (cr1 & kMs) != 0 || bus_fault_) return kInvalid;
    width_ = (rd(kCr0) & 0xF) + 1 > 8 ? 2 : 1;
    if (len_ % width_ != 0) return kInvalid;
    frames_ = len_ / width_;
    saved_imsc_ = rd(kImsc);
    for (unsigned n = 0; n < 8 && (rd(kSr) & kRne) != 0; ++n) rd(kDr);  // stale frames
    wr(kIcr, kRor | kRt);
    return kRunning;
  }

  const std::uint32_t tx_, rx_, len_;
  std::uint32_t width_ = 1, frames_ = 0, saved_imsc_ = 0;
};

}  // namespace wasmio::io::async
