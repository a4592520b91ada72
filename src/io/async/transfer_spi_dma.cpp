// Full-duplex PL022 transfer through the board's PL081 (Linux's pl022 + pl08x split): two
// channels with the DMAC as flow controller, RX (SSPDR -> staging, request "rx") on the lower
// channel so the PL081 drains received frames before it queues more, TX (staging -> SSPDR,
// request "tx"); the PL022 raises its requests only while DMACR enables them. Per chunk of
// `dma_chunk_bytes` the host stages the TX bytes, programs both items and takes one interrupt:
// the RX channel's terminal count. The PL022's own line carries RORIM only (an RX overrun ends
// the transfer with kDeviceError). A DMA error on either channel ends it with kBusError and the
// bytes received so far; cancel halts both channels and hands the PL022 back (DMACR and IMSC as
// the driver had them; frames already in its TX FIFO still shift out, as on silicon, and the
// next transfer flushes what they leave in the RX FIFO).
#include <algorithm>

#include "dma_channel.h"
#include "spi_transfer_base.h"

namespace wasmio::io::async {

namespace {
using namespace spi_reg;

class SpiDmaTransfer final : public SpiTransferBase {
 public:
  SpiDmaTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, RegisterWindow regs,
                 const BoardNode& node, const DmaRoute& tx_route, const DmaRoute& rx_route,
                 std::uint32_t tx, std::uint32_t rx, std::uint32_t len)
      : SpiTransferBase(s, c, op, regs, tx, rx, len),
        node_(node),
        tx_route_(tx_route),
        rx_route_(rx_route),
        tx_channel_(s, tx_route),
        rx_channel_(s, rx_route) {}

  std::int32_t start() override {
    if (const std::int32_t ready = prepare(); ready != kRunning) return ready;
    if (!rx_channel_.take()) return kBusy;  // first: the lower channel
    if (!tx_channel_.take()) {
      rx_channel_.release();
      return kBusy;
    }
    saved_dmacr_ = rd(kDmacr);
    use_line(rx_route_.dmac_line);
    if (!node_.irqs.empty()) use_line(node_.irqs[0]);
    wr(kImsc, kRor);
    wr(kDmacr, kRxDmae | kTxDmae);  // requests count only once a channel is enabled
    next_chunk();
    return kRunning;
  }

  void service() override {
    if ((rd(kRis) & kRor) != 0) {
      wr(kIcr, kRor);
      stop_channels();
      return end(kDeviceError);
    }
    const DmaChannel::Event tx = tx_channel_.take_event();
    const DmaChannel::Event rx = rx_channel_.take_event();
    if (tx == DmaChannel::Event::kError || rx == DmaChannel::Event::kError) {
      stop_channels();
      return end(kBusError);
    }
    if (rx != DmaChannel::Event::kComplete) return;  // TX runs no TC interrupt
    if (!copy_in(chunk_frames_)) return end(kOutsideMemory);
    done_ += chunk_frames_ * width_;
    chunk_frames_ = 0;
    if (done_ == len_) return end(kDone);
    next_chunk();
  }

  void quiesce() override {
    if (!rx_channel_.held()) return;
    stop_channels();
    restore();
  }

 private:
  void next_chunk() {
    chunk_frames_ = std::min(rx_channel_.chunk() / width_, frames_ - done_ / width_);
    const auto src = client_.guest(tx_ + done_, chunk_frames_ * width_);
    if (src.size() != chunk_frames_ * width_) return end(kOutsideMemory);
    tx_channel_.to_staging(src);
    const std::uint64_t data = regs_.base() + kDr;
    rx_channel_.start_item(false, data, rx_route_.request, chunk_frames_, width_, true);
    tx_channel_.start_item(true, data, tx_route_.request, chunk_frames_, width_, false);
  }
  // Halts both channels; what RX had received of the chunk goes to the guest and counts.
  void stop_channels() {
    tx_channel_.halt();
    const std::uint32_t left = rx_channel_.halt();
    const std::uint32_t received = chunk_frames_ > left ? chunk_frames_ - left : 0;
    if (received != 0 && copy_in(received)) done_ += received * width_;
    chunk_frames_ = 0;
  }
  bool copy_in(std::uint32_t frames) {
    const auto dst = client_.guest(rx_ + done_, frames * width_);
    if (dst.size() != frames * width_) return false;
    rx_channel_.from_staging(dst);
    return true;
  }
  void restore_device() override {
    wr(kDmacr, saved_dmacr_);
    wr(kImsc, saved_imsc_);
    tx_channel_.release();
    rx_channel_.release();
  }

  const BoardNode& node_;
  const DmaRoute tx_route_, rx_route_;
  DmaChannel tx_channel_, rx_channel_;
  std::uint32_t saved_dmacr_ = 0, chunk_frames_ = 0;
};
}  // namespace

std::unique_ptr<Transfer> make_spi_dma_transfer(AsyncIo& service, AsyncClient& client,
                                                std::int32_t op, RegisterWindow regs,
                                                const BoardNode& node, const DmaRoute& tx_route,
                                                const DmaRoute& rx_route, std::uint32_t tx_ptr,
                                                std::uint32_t rx_ptr, std::uint32_t len) {
  return std::make_unique<SpiDmaTransfer>(service, client, op, regs, node, tx_route, rx_route,
                                          tx_ptr, rx_ptr, len);
}

}  // namespace wasmio::io::async
