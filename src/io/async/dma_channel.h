// One PL081 channel lent to a transfer (UART through DMA, SPI through DMA): its staging area in
// DMA RAM, one item at a time with the DMAC as flow controller on a peripheral request line, its
// terminal-count / error status, the halt on cancel, and the copies between the guest's memory
// and staging (in the simulation the guest's memory is not on the simulated bus; on the MCU the
// DMAC would read and write linear memory in place).
#pragma once

#include <cstdint>
#include <span>

#include "transfer.h"

namespace wasmio::io::async {

class DmaChannel {
 public:
  DmaChannel(AsyncIo& service, const DmaRoute& route) : service_(service), route_(route) {}
  ~DmaChannel() { release(); }
  DmaChannel(const DmaChannel&) = delete;
  DmaChannel& operator=(const DmaChannel&) = delete;

  // Takes a free channel of the service (and enables the DMAC); false when none is free.
  bool take();
  void release();
  bool held() const { return index_ != UINT32_MAX; }
  std::uint32_t chunk() const { return route_.chunk; }

  // One item of `elements` elements of `width` bytes (1 or 2) between this channel's staging area
  // and the peripheral register at bus address `data`, paced by request line `request`:
  // memory -> peripheral when `to_peripheral` (flow control 1), else peripheral -> memory (2).
  // With `tc_interrupt` its end raises the DMAC's interrupt; an error always does.
  void start_item(bool to_peripheral, std::uint64_t data, std::uint32_t request,
                  std::uint32_t elements, unsigned width, bool tc_interrupt);
  enum class Event : std::uint8_t { kNone, kComplete, kError };
  // What the channel reported since the last call (and clears it at the DMAC).
  Event take_event();
  // Halt (no more requests taken), then disable; the elements it had left of its item.
  std::uint32_t halt();
  std::uint32_t elements_left();

  // Guest bytes into staging (to_peripheral items) and back (received ones).
  void to_staging(std::span<const std::uint8_t> bytes);
  void from_staging(std::span<std::uint8_t> bytes);

 private:
  std::uint64_t staging() const { return route_.staging + std::uint64_t{index_} * route_.chunk; }
  std::uint64_t channel_reg(unsigned reg) const { return 0x100 + 0x20 * index_ + reg; }
  std::uint32_t read(std::uint64_t offset);
  void write(std::uint64_t offset, std::uint32_t value);
  std::span<std::uint8_t> staging_bytes(std::size_t n);

  AsyncIo& service_;
  const DmaRoute route_;
  std::uint32_t index_ = UINT32_MAX;
};

}  // namespace wasmio::io::async
