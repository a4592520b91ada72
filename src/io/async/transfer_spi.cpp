// Full-duplex transfer on a PL022 in master mode, driven by its single interrupt: TXIM (TX FIFO
// at most half full) while frames remain to be queued, RXIM (RX FIFO at least half full) and
// RTIM (receive timeout: the tail) while frames remain to be received, RORIM for an overrun.
// At most 8 frames are in flight, so the 8-entry RX FIFO never overflows by our doing. Frames of
// 4..8 bits take one buffer byte, 9..16 bits two (little endian). The driver has configured CR0,
// CPSR and SSE (and the chip select); the transfer owns IMSC while it runs and restores it.
#include "transfer.h"

namespace wasmio::io::async {

namespace {
constexpr std::uint64_t kCr0 = 0x00, kCr1 = 0x04, kDr = 0x08, kSr = 0x0C, kImsc = 0x14, kRis = 0x18,
                        kIcr = 0x20;
constexpr std::uint32_t kSse = 2, kMs = 4;
constexpr std::uint32_t kTnf = 2, kRne = 4;
constexpr std::uint32_t kRor = 1, kRt = 2, kRx = 4, kTx = 8;

class SpiTransfer final : public Transfer {
 public:
  SpiTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, RegisterWindow regs,
              const BoardNode& node, std::uint32_t tx, std::uint32_t rx, std::uint32_t len)
      : Transfer(s, c, op, OpKind::kSpiTransfer, regs, regs.base()),
        node_(node),
        tx_(tx),
        rx_(rx),
        len_(len) {}

  std::int32_t start() override {
    const std::uint32_t cr1 = rd(kCr1);
    if ((cr1 & kSse) == 0 || (cr1 & kMs) != 0 || bus_fault_) return kInvalid;
    width_ = (rd(kCr0) & 0xF) + 1 > 8 ? 2 : 1;
    if (len_ % width_ != 0) return kInvalid;
    frames_ = len_ / width_;
    saved_imsc_ = rd(kImsc);
    wr(kIcr, kRor | kRt);
    if (!node_.irqs.empty()) use_line(node_.irqs[0]);
    step();
    return kRunning;
  }

  void service() override { step(); }
  void quiesce() override { restore(); }

 private:
  void step() {
    if ((rd(kRis) & kRor) != 0) {
      wr(kIcr, kRor);
      return end(kDeviceError);
    }
    wr(kIcr, kRt);
    const std::uint32_t chunk = service_.options().chunk_bytes;
    std::uint32_t moved = 0;
    // Receive first: it frees room for more frames in flight.
    while (received_ < frames_ && moved < chunk && (rd(kSr) & kRne) != 0) {
      const std::uint32_t word = rd(kDr);
      const auto dst = client_.guest(rx_ + received_ * width_, width_);
      if (dst.empty()) return end(kOutsideMemory);
      dst[0] = static_cast<std::uint8_t>(word);
      if (width_ == 2) dst[1] = static_cast<std::uint8_t>(word >> 8);
      ++received_;
      done_ = received_ * width_;
      ++moved;
    }
    while (sent_ < frames_ && sent_ - received_ < 8 && moved < chunk && (rd(kSr) & kTnf) != 0) {
      const auto src = client_.guest(tx_ + sent_ * width_, width_);
      if (src.empty()) return end(kOutsideMemory);
      wr(kDr, width_ == 2 ? static_cast<std::uint32_t>(src[0] | src[1] << 8) : src[0]);
      ++sent_;
      ++moved;
    }
    if (bus_fault_) return end(kBusError);
    if (received_ == frames_) return end(kDone);
    std::uint32_t imsc = kRor | kRx | kRt;
    if (sent_ < frames_) imsc |= kTx;
    wr(kImsc, imsc);
  }
  void end(std::int32_t status) {
    restore();
    finish(status);
  }
  void restore() {
    if (restored_) return;
    restored_ = true;
    wr(kImsc, saved_imsc_);
  }

  const BoardNode& node_;
  const std::uint32_t tx_, rx_, len_;
  std::uint32_t width_ = 1, frames_ = 0, sent_ = 0, received_ = 0, saved_imsc_ = 0;
  bool restored_ = false;
};
}  // namespace

std::unique_ptr<Transfer> make_spi_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                            RegisterWindow regs, const BoardNode& node,
                                            std::uint32_t tx_ptr, std::uint32_t rx_ptr,
                                            std::uint32_t len) {
  return std::make_unique<SpiTransfer>(service, client, op, regs, node, tx_ptr, rx_ptr, len);
}

}  // namespace wasmio::io::async
