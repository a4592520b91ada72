#include "spi_nor_flash.h"

#include <algorithm>

namespace wasmio::io::sim {

namespace {
constexpr std::uint8_t kRdid = 0x9F, kRems = 0x90, kRes = 0xAB, kRdsr1 = 0x05, kWren = 0x06,
                       kWrdi = 0x04, kRead = 0x03, kFastRead = 0x0B, kPp = 0x02, kSe = 0x20,
                       kBe32 = 0x52, kBe64 = 0xD8, kCe1 = 0xC7, kCe2 = 0x60, kDp = 0xB9;
constexpr std::uint8_t kHighZ = 0xFF;  // MISO not driven (pulled up)
}  // namespace

SpiNorFlash::SpiNorFlash(SimClock& clock, std::uint32_t size_bytes,
                         std::array<std::uint8_t, 3> jedec_id)
    : clock_(clock), memory_(size_bytes, 0xFF), jedec_id_(jedec_id) {}

SpiNorFlash::~SpiNorFlash() {
  clock_.cancel(ready_);
}

void SpiNorFlash::reset() {
  clock_.cancel(ready_);
  busy_ = wel_ = powered_down_ = false;  // selected_ follows the chip-select wire, not reset
  phase_ = Phase::kIgnore;               // a select active across the reset carries no command
  byte_index_ = 1;
  in_count_ = 0;
  garbled_ = false;
}

void SpiNorFlash::select(bool active) {
  if (active == selected_) return;
  if (!active) finish_select();
  selected_ = active;
  phase_ = Phase::kOpcode;
  byte_index_ = 0;
  garbled_ = false;
  in_bits_ = in_count_ = 0;
  next_out_ = kHighZ;
}

std::uint16_t SpiNorFlash::transfer(std::uint16_t mosi, unsigned bits, unsigned mode,
                                    bool motorola) {
  const std::uint16_t ones = static_cast<std::uint16_t>((1u << bits) - 1);
  if (!motorola || mode == 1 || mode == 2) garbled_ = true;  // wrong edge: no valid bit
  if (!selected_ || garbled_) return ones;
  std::uint16_t miso = 0;
  for (unsigned i = bits; i-- > 0;) {
    if (in_count_ == 0) out_bits_ = next_out_;
    const unsigned bit_in = (mosi >> i) & 1u;
    const unsigned bit_out = (out_bits_ >> (7 - in_count_)) & 1u;
    miso = static_cast<std::uint16_t>((miso << 1) | bit_out);
    in_bits_ = (in_bits_ << 1) | bit_in;
    if (++in_count_ == 8) {
      in_count_ = 0;
      exchange(static_cast<std::uint8_t>(in_bits_ & 0xFF));
      in_bits_ = 0;
    }
  }
  return miso;
}

void SpiNorFlash::begin(std::uint8_t opcode) {
  opcode_ = opcode;
  address_ = 0;
  address_bytes_ = dummy_bytes_ = 0;
  phase_ = Phase::kData;
  if (powered_down_ && opcode != kRes) {
    phase_ = Phase::kIgnore;
    return;
  }
  if (busy_ && opcode != kRdsr1) {
    phase_ = Phase::kIgnore;
    return;
  }
  switch (opcode) {
    case kRdid:
      next_out_ = jedec_id_[0];
      break;
    case kRdsr1:
      next_out_ = status();
      break;
    case kRes:
      dummy_bytes_ = 3;
      phase_ = Phase::kDummy;
      break;
    case kRems:
    case kRead:
    case kPp:
    case kSe:
    case kBe32:
    case kBe64:
      phase_ = Phase::kAddress;
      break;
    case kFastRead:
      dummy_bytes_ = 1;
      phase_ = Phase::kAddress;
      break;
    case kWren:
    case kWrdi:
    case kCe1:
    case kCe2:
    case kDp:
      phase_ = Phase::kIgnore;
      break;  // no further bytes; acts at deselect
    default:
      phase_ = Phase::kIgnore;
      opcode_ = 0;
      break;
  }
  if (opcode == kPp) page_written_.fill(false);
}

void SpiNorFlash::exchange(std::uint8_t in) {
  const std::uint32_t mask = static_cast<std::uint32_t>(memory_.size() - 1);
  if (byte_index_++ == 0) {
    begin(in);
    return;
  }
  switch (phase_) {
    case Phase::kOpcode:
    case Phase::kIgnore:
      next_out_ = kHighZ;
      return;
    case Phase::kAddress:
      address_ = (address_ << 8) | in;
      if (++address_bytes_ < 3) return;
      address_ &= mask;
      phase_ = dummy_bytes_ != 0 ? Phase::kDummy : Phase::kData;
      if (opcode_ == kSe || opcode_ == kBe32 || opcode_ == kBe64) phase_ = Phase::kIgnore;
      break;
    case Phase::kDummy:
      if (--dummy_bytes_ != 0) return;
      phase_ = Phase::kData;
      break;
    case Phase::kData:
      if (opcode_ == kPp) {
        const std::uint32_t offset = (address_ + byte_index_ - 5) & 0xFF;
        page_[offset] = in;
        page_written_[offset] = true;
        return;
      }
      if (opcode_ == kRead || opcode_ == kFastRead) address_ = (address_ + 1) & mask;
      break;
  }
  if (phase_ != Phase::kData) {
    next_out_ = kHighZ;
    return;
  }
  // The byte driven during the next byte.
  const std::uint32_t data_index = byte_index_ - (opcode_ == kRdid || opcode_ == kRdsr1 ? 1 : 0);
  switch (opcode_) {
    case kRdid:
      next_out_ = jedec_id_[data_index % 3];
      break;
    case kRdsr1:
      next_out_ = status();
      break;
    case kRes:
      next_out_ = jedec_id_[2] - 1;
      break;  // W25Q16JV: ID 14h with capacity 15h
    case kRems: {
      const std::uint32_t n = byte_index_ - 4 + (address_ & 1);
      next_out_ = (n % 2 == 0) ? jedec_id_[0] : static_cast<std::uint8_t>(jedec_id_[2] - 1);
      break;
    }
    case kRead:
    case kFastRead:
      next_out_ = memory_[address_];
      break;
    default:
      next_out_ = kHighZ;
      break;
  }
}

void SpiNorFlash::finish_select() {
  const bool aligned = in_count_ == 0 && !garbled_;
  const std::uint32_t bytes = byte_index_;
  if (!aligned || bytes == 0) return;
  const std::uint8_t op = opcode_;
  if (powered_down_) {
    if (op == kRes) powered_down_ = false;
    return;
  }
  if (busy_) return;
  const std::uint32_t mask = static_cast<std::uint32_t>(memory_.size() - 1);
  switch (op) {
    case kWren:
      if (bytes == 1) wel_ = true;
      break;
    case kWrdi:
      if (bytes == 1) wel_ = false;
      break;
    case kDp:
      if (bytes == 1) powered_down_ = true;
      break;
    case kRes:
      break;
    case kPp:
      if (!wel_ || bytes < 5) break;
      {
        const std::uint32_t page = address_ & ~0xFFu & mask;
        for (std::uint32_t i = 0; i < 256; ++i) {
          if (page_written_[i]) memory_[page + i] &= page_[i];
        }
      }
      ++programs_;
      start_busy(timing_.page_program);
      break;
    case kSe:
    case kBe32:
    case kBe64: {
      if (!wel_ || bytes != 4) break;
      const std::uint32_t size = op == kSe ? 4096 : op == kBe32 ? 32768 : 65536;
      const std::uint32_t base = address_ & ~(size - 1) & mask;
      for (std::uint32_t i = 0; i < size && base + i < memory_.size(); ++i)
        memory_[base + i] = 0xFF;
      ++erases_;
      start_busy(op == kSe     ? timing_.sector_erase
                 : op == kBe32 ? timing_.block_erase_32k
                               : timing_.block_erase_64k);
      break;
    }
    case kCe1:
    case kCe2:
      if (!wel_ || bytes != 1) break;
      std::fill(memory_.begin(), memory_.end(), 0xFF);
      ++erases_;
      start_busy(timing_.chip_erase);
      break;
    default:
      break;
  }
}

void SpiNorFlash::start_busy(Cycles cycles) {
  busy_ = true;
  clock_.schedule_in(ready_, cycles);
}

void SpiNorFlash::on_ready(void* self, Cycles) {
  auto* f = static_cast<SpiNorFlash*>(self);
  f->busy_ = false;
  f->wel_ = false;
}

}  // namespace wasmio::io::sim
