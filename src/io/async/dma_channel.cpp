#include "dma_channel.h"

#include <cstring>

#include "../sim/pl081.h"
#include "../sim/sim_board.h"
#include "../sim/sim_ram.h"

namespace wasmio::io::async {

namespace {
// PL081 registers and bits (Arm DDI0218).
constexpr std::uint64_t kTcClear = 0x08, kErrClear = 0x10, kRawTc = 0x14, kRawErr = 0x18,
                        kConfiguration = 0x30;
constexpr unsigned kSrc = 0x00, kDst = 0x04, kLli = 0x08, kControl = 0x0C, kConfig = 0x10;
constexpr std::uint32_t kCtrlSi = 1u << 26, kCtrlDi = 1u << 27, kCtrlI = 1u << 31;
constexpr std::uint32_t kCfgE = 1, kCfgIe = 1u << 14, kCfgItc = 1u << 15, kCfgH = 1u << 18;
constexpr std::uint32_t kFlowMemToPeriph = 1, kFlowPeriphToMem = 2;
}  // namespace

bool DmaChannel::take() {
  if (held()) return true;
  index_ = service_.take_dma_channel();
  if (!held()) return false;
  write(kConfiguration, 1);  // DMAC enabled, little-endian master
  return true;
}

void DmaChannel::release() {
  if (!held()) return;
  service_.give_dma_channel(index_);
  index_ = UINT32_MAX;
}

void DmaChannel::start_item(bool to_peripheral, std::uint64_t data, std::uint32_t request,
                            std::uint32_t elements, unsigned width, bool tc_interrupt) {
  const std::uint32_t w = width == 2 ? 1 : 0;  // SWidth/DWidth: 0 byte, 1 halfword
  const std::uint32_t control = (elements & 0xFFF) | w << 18 | w << 21 |
                                (to_peripheral ? kCtrlSi : kCtrlDi) | (tc_interrupt ? kCtrlI : 0);
  const std::uint64_t memory = staging();
  write(channel_reg(kSrc), static_cast<std::uint32_t>(to_peripheral ? memory : data));
  write(channel_reg(kDst), static_cast<std::uint32_t>(to_peripheral ? data : memory));
  write(channel_reg(kLli), 0);
  write(channel_reg(kControl), control);
  const std::uint32_t flow = to_peripheral ? (kFlowMemToPeriph << 11 | request << 6)
                                           : (kFlowPeriphToMem << 11 | request << 1);
  write(channel_reg(kConfig), kCfgE | kCfgIe | (tc_interrupt ? kCfgItc : 0) | flow);
  service_.dma()->request_changed();
}

DmaChannel::Event DmaChannel::take_event() {
  if (!held()) return Event::kNone;
  const std::uint32_t bit = 1u << index_;
  if ((read(kRawErr) & bit) != 0) {
    write(kErrClear, bit);
    return Event::kError;
  }
  if ((read(kRawTc) & bit) != 0) {
    write(kTcClear, bit);
    return Event::kComplete;
  }
  return Event::kNone;
}

std::uint32_t DmaChannel::halt() {
  if (!held()) return 0;
  const std::uint32_t config = read(channel_reg(kConfig));
  write(channel_reg(kConfig), config | kCfgH);  // stop taking requests, then disable
  write(channel_reg(kConfig), (config | kCfgH) & ~kCfgE);
  return elements_left();
}

std::uint32_t DmaChannel::elements_left() {
  return held() ? read(channel_reg(kControl)) & 0xFFF : 0;
}

std::span<std::uint8_t> DmaChannel::staging_bytes(std::size_t n) {
  sim::SimRam* ram = route_.ram;
  if (ram == nullptr || !held()) return {};
  const std::uint64_t at = staging() - route_.ram_base;
  if (at + n > ram->bytes().size()) return {};
  return std::span<std::uint8_t>(ram->bytes()).subspan(at, n);
}

void DmaChannel::to_staging(std::span<const std::uint8_t> bytes) {
  const auto dst = staging_bytes(bytes.size());
  if (dst.size() == bytes.size() && !bytes.empty())
    std::memcpy(dst.data(), bytes.data(), bytes.size());
}

void DmaChannel::from_staging(std::span<std::uint8_t> bytes) {
  const auto src = staging_bytes(bytes.size());
  if (src.size() == bytes.size() && !bytes.empty())
    std::memcpy(bytes.data(), src.data(), bytes.size());
}

std::uint32_t DmaChannel::read(std::uint64_t offset) {
  return static_cast<std::uint32_t>(service_.board().read(route_.dmac + offset, 4).value);
}

void DmaChannel::write(std::uint64_t offset, std::uint32_t value) {
  service_.board().write(route_.dmac + offset, 4, value);
}

}  // namespace wasmio::io::async
