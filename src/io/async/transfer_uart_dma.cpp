// UART block write/read through the board's PL081: the host stages each chunk in DMA RAM
// (mmio-sram), programs a free channel with the DMAC as flow controller on the UART's request
// line (memory-to-peripheral for TX, peripheral-to-memory for RX) and takes only the DMAC's
// terminal-count / error interrupt per chunk. A DMA error response ends the transfer with
// kBusError and the bytes the channel had moved. Cancel halts and disables the channel; bytes
// already received into staging are still copied to the guest so bytes_done is exact.
#include <algorithm>
#include <cstring>

#include "../board/board_properties.h"
#include "../sim/pl081.h"
#include "../sim/sim_board.h"
#include "../sim/sim_ram.h"
#include "transfer.h"

namespace wasmio::io::async {

namespace {
constexpr std::uint64_t kRawTc = 0x14, kRawErr = 0x18, kTcClear = 0x08, kErrClear = 0x10,
                        kConfiguration = 0x30, kEnbldChns = 0x1C;
constexpr std::uint64_t ch_reg(unsigned n, unsigned reg) {
  return 0x100 + 0x20 * n + reg;
}
constexpr std::uint32_t kCtrlSi = 1u << 26, kCtrlDi = 1u << 27, kCtrlI = 1u << 31;
constexpr std::uint32_t kCfgE = 1, kCfgIe = 1u << 14, kCfgItc = 1u << 15, kCfgH = 1u << 18;
constexpr std::uint64_t kUartData = 0x00, kUartCtrl = 0x08;
constexpr std::uint32_t kTxEn = 1, kRxEn = 2;

class UartDmaTransfer final : public Transfer {
 public:
  UartDmaTransfer(AsyncIo& s, AsyncClient& c, std::int32_t op, OpKind kind, RegisterWindow regs,
                  const DmaRoute& route, std::uint32_t ptr, std::uint32_t len)
      : Transfer(s, c, op, kind, regs, regs.base()), route_(route), ptr_(ptr), len_(len) {}

  std::int32_t start() override {
    const std::uint32_t ctrl = rd(kUartCtrl);
    const bool write = kind_ == OpKind::kUartWrite;
    if ((ctrl & (write ? kTxEn : kRxEn)) == 0 || bus_fault_) return kInvalid;
    channel_ = service_.take_dma_channel();
    if (channel_ == UINT32_MAX) return kBusy;
    staging_ = route_.staging + channel_ * route_.chunk;
    use_line(route_.dmac_line);
    dmac_write(kConfiguration, 1);
    next_chunk();
    return kRunning;
  }

  void service() override {
    const std::uint32_t bit = 1u << channel_;
    const std::uint32_t err = dmac_read(kRawErr) & bit;
    const std::uint32_t tc = dmac_read(kRawTc) & bit;
    if (err == 0 && tc == 0) return;  // the other channel's interrupt
    if (err != 0) {
      dmac_write(kErrClear, bit);
      account_partial();
      return end(kBusError);
    }
    dmac_write(kTcClear, bit);
    if (kind_ == OpKind::kUartRead && !copy_in(chunk_)) return end(kOutsideMemory);
    done_ += chunk_;
    if (done_ == len_) return end(kDone);
    next_chunk();
  }

  void quiesce() override {
    if (channel_ == UINT32_MAX) return;
    const std::uint32_t config = dmac_read(ch_reg(channel_, 0x10));
    dmac_write(ch_reg(channel_, 0x10), config | kCfgH);  // stop taking requests, then disable
    dmac_write(ch_reg(channel_, 0x10), (config | kCfgH) & ~kCfgE);
    account_partial();
    release();
  }
  ~UartDmaTransfer() override { release(); }

 private:
  void next_chunk() {
    chunk_ = std::min(route_.chunk, len_ - done_);
    const bool write = kind_ == OpKind::kUartWrite;
    if (write) {
      const auto src = client_.guest(ptr_ + done_, chunk_);
      if (src.size() != chunk_) return end(kOutsideMemory);
      // Staging copy: on the MCU the DMAC would read linear memory in place.
      if (route_.ram != nullptr &&
          staging_ - route_.ram_base + chunk_ <= route_.ram->bytes().size()) {
        std::memcpy(route_.ram->bytes().data() + (staging_ - route_.ram_base), src.data(), chunk_);
      }
    }
    const std::uint64_t data = regs_.base() + kUartData;
    const std::uint32_t control = chunk_ | kCtrlI | (write ? kCtrlSi : kCtrlDi);  // byte widths
    dmac_write(ch_reg(channel_, 0x00), static_cast<std::uint32_t>(write ? staging_ : data));
    dmac_write(ch_reg(channel_, 0x04), static_cast<std::uint32_t>(write ? data : staging_));
    dmac_write(ch_reg(channel_, 0x08), 0);
    dmac_write(ch_reg(channel_, 0x0C), control);
    const std::uint32_t flow =
        write ? (1u << 11 | route_.request << 6) : (2u << 11 | route_.request << 1);
    dmac_write(ch_reg(channel_, 0x10), kCfgE | kCfgIe | kCfgItc | flow);
    service_.dma()->request_changed();
  }
  // Bytes the channel moved of the current chunk (after an error or a halt).
  void account_partial() {
    const std::uint32_t left = dmac_read(ch_reg(channel_, 0x0C)) & 0xFFF;
    const std::uint32_t moved = chunk_ > left ? chunk_ - left : 0;
    if (kind_ == OpKind::kUartRead && moved != 0) copy_in(moved);
    done_ += moved;
    chunk_ = 0;
  }
  bool copy_in(std::uint32_t n) {
    const auto dst = client_.guest(ptr_ + done_, n);
    if (dst.size() != n) return false;
    if (route_.ram != nullptr && staging_ - route_.ram_base + n <= route_.ram->bytes().size()) {
      std::memcpy(dst.data(), route_.ram->bytes().data() + (staging_ - route_.ram_base), n);
    }
    return true;
  }
  void end(std::int32_t status) {
    release();
    finish(status);
  }
  void release() {
    if (channel_ == UINT32_MAX) return;
    service_.give_dma_channel(channel_);
    channel_ = UINT32_MAX;
  }
  std::uint32_t dmac_read(std::uint64_t offset) {
    return static_cast<std::uint32_t>(service_.board().read(route_.dmac + offset, 4).value);
  }
  void dmac_write(std::uint64_t offset, std::uint32_t value) {
    service_.board().write(route_.dmac + offset, 4, value);
  }

  const DmaRoute route_;
  const std::uint32_t ptr_, len_;
  std::uint32_t channel_ = UINT32_MAX;
  std::uint64_t staging_ = 0;
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
