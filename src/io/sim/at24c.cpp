#include "at24c.h"

namespace wasmio::io::sim {

At24c::At24c(SimClock& clock, std::uint32_t size_bytes, std::uint32_t page_bytes)
    : clock_(clock),
      memory_(size_bytes == 0 ? 256 : size_bytes, 0xFF),
      page_(page_bytes == 0 ? 8 : page_bytes),
      write_cycle_(clock.cycles_from_ms(5)) {}

void At24c::reset() {
  address_ = 0;
  writing_ = false;
  have_word_address_ = false;
  page_buffer_.clear();
  busy_until_ = 0;
}

bool At24c::start(bool read) {
  if (busy()) return false;  // internal write cycle: acknowledge polling sees NACK
  writing_ = !read;
  have_word_address_ = false;
  page_buffer_.clear();
  return true;
}

bool At24c::write_byte(std::uint8_t byte) {
  const auto size = static_cast<std::uint32_t>(memory_.size());
  if (!have_word_address_) {
    address_ = byte % size;
    have_word_address_ = true;
    return true;
  }
  // Latch into the page buffer; the address rolls over inside the page.
  page_buffer_.emplace_back(address_, byte);
  const std::uint32_t page_base = address_ - address_ % page_;
  address_ = page_base + (address_ + 1 - page_base) % page_;
  return true;
}

std::uint8_t At24c::read_byte() {
  const std::uint8_t byte = memory_[address_];
  address_ = (address_ + 1) % static_cast<std::uint32_t>(memory_.size());
  return byte;
}

void At24c::stop() {
  if (writing_ && !page_buffer_.empty()) {
    for (const auto& [address, byte] : page_buffer_) memory_[address] = byte;
    busy_until_ = clock_.now() + write_cycle_;
  }
  page_buffer_.clear();
  writing_ = false;
}

void At24c::restart() {
  page_buffer_.clear();
  writing_ = false;
}

}  // namespace wasmio::io::sim
