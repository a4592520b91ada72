// Full-duplex transfer on a PL022 in master mode, driven by its single interrupt: TXIM (TX FIFO
// at most half full) while frames remain to be queued, RXIM (RX FIFO at least half full) and
// RTIM (receive timeout: the tail) while frames remain to be received, RORIM for an overrun.
// At most 8 frames are in flight, so the 8-entry RX FIFO never overflows by our doing. Frames of
// 4..8 bits take one buffer byte, 9..16 bits two (little endian). The driver has configured CR0,
// CPSR and SSE (and the chip select); the transfer owns IMSC while it runs and restores it.
#include "spi_transfer_base.h"

namespace wasmio::io::async {

namespace {
using namespace spi_reg;

class SpiTransfer final : public SpiTransferBase {
 public:
  SpiTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, RegisterWindow regs,
              const BoardNode& node, std::uint32_t tx, std::uint32_t rx, std::uint32_t len)
      : SpiTransferBase(s, c, op, regs, tx, rx, len), node_(node) {}

  std::int32_t start() override {
    if (const std::int32_t ready = prepare(); ready != kRunning) return ready;
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
  void restore_device() override { wr(kImsc, saved_imsc_); }

  const BoardNode& node_;
  std::uint32_t sent_ = 0, received_ = 0;
};
}  // namespace

std::unique_ptr<Transfer> make_spi_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                            RegisterWindow regs, const BoardNode& node,
                                            std::uint32_t tx_ptr, std::uint32_t rx_ptr,
                                            std::uint32_t len) {
  return std::make_unique<SpiTransfer>(service, client, op, regs, node, tx_ptr, rx_ptr, len);
}

}  // namespace wasmio::io::async
