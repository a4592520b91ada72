// UART block write/read through the board's PL081: the host stages each chunk in DMA RAM
// (mmio-sram), programs a free channel with the DMAC as flow controller on the UART's request
// line (memory-to-peripheral for TX, peripheral-to-memory for RX) and takes only the DMAC's
// terminal-count / error interrupt per chunk. A DMA error response ends the transfer with
// kBusError and the bytes the channel had moved. Cancel halts and disables the channel; bytes
// already received into staging are still copied to the guest so bytes_done is exact.
#include <algorithm>

#include "dma_channel.h"
#include "uart_transfer_base.h"

namespace wasmio::io::async {

namespace {

class UartDmaTransfer final : public UartTransferBase {
 public:
  UartDmaTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, OpKind kind, RegisterWindow regs,
                  const DmaRoute& route, std::uint32_t ptr, std::uint32_t len)
      : UartTransferBase(s, c, op, kind, regs, ptr, len), route_(route), channel_(s, route) {}

  std::int32_t start() override {
    std::uint32_t ctrl = 0;
    if (!direction_enabled(&ctrl)) return kInvalid;
    if (!channel_.take()) return kBusy;
    use_line(route_.dmac_line);
    next_chunk();
    return kRunning;
  }

  void service() override {
    switch (channel_.take_event()) {
      case DmaChannel::Event::kNone:
        return;  // the other channel's interrupt
      case DmaChannel::Event::kError:
        account_partial(channel_.elements_left());
        return end(kBusError);
      case DmaChannel::Event::kComplete:
        break;
    }
    if (!writing() && !copy_in(chunk_)) return end(kOutsideMemory);
    done_ += chunk_;
    if (done_ == len_) return end(kDone);
    next_chunk();
  }

  void quiesce() override {
    if (!channel_.held()) return;
    account_partial(channel_.halt());
    restore();
  }

 private:
  void next_chunk() {
    chunk_ = std::min(channel_.chunk(), len_ - done_);
    if (writing()) {
      const auto src = client_.guest(ptr_ + done_, chunk_);
      if (src.size() != chunk_) return end(kOutsideMemory);
      channel_.to_staging(src);
    }
    channel_.start_item(writing(), regs_.base() + uart_reg::kData, route_.request, chunk_, 1, true);
  }
  // Bytes the channel moved of the current chunk (after an error or a halt).
  void account_partial(std::uint32_t left) {
    const std::uint32_t moved = chunk_ > left ? chunk_ - left : 0;
    if (!writing() && moved != 0) copy_in(moved);
    done_ += moved;
    chunk_ = 0;
  }
  bool copy_in(std::uint32_t n) {
    const auto dst = client_.guest(ptr_ + done_, n);
    if (dst.size() != n) return false;
    channel_.from_staging(dst);
    return true;
  }
  void restore_device() override { channel_.release(); }

  const DmaRoute route_;
  DmaChannel channel_;
  std::uint32_t chunk_ = 0;
};
}  // namespace

std::unique_ptr<Transfer> make_uart_dma_transfer(AsyncIo& service, AsyncClient& client,
                                                 std::int32_t op, OpKind kind, RegisterWindow regs,
                                                 const DmaRoute& route, std::uint32_t ptr,
                                                 std::uint32_t len) {
  return std::make_unique<UartDmaTransfer>(service, client, op, kind, regs, route, ptr, len);
}

}  // namespace wasmio::io::async
