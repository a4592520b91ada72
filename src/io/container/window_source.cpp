#include "window_source.h"

#include "../manifest/text.h"

namespace wasmio::io {

unsigned widest_width(std::uint8_t widths) {
  for (unsigned width = 8; width != 0; width >>= 1) {
    if ((widths & width) != 0) return width;
  }
  return 1;
}

bool RawMemoryWindows::open(const GrantedWindow& grant, RegisterWindow* out, std::string* error) {
  if (grant.address < base_ || grant.address - base_ > size_ ||
      size_ - (grant.address - base_) < grant.size) {
    *error = "window " + std::to_string(grant.index) + " of '" + grant.label + "' at " +
             text::hex(grant.address) + " lies outside the mapped range " + text::hex(base_) +
             "+" + text::hex(size_);
    return false;
  }
  *out = RegisterWindow::raw(grant.address, grant.size, mapping_ + (grant.address - base_),
                             widest_width(grant.widths));
  return true;
}

}  // namespace wasmio::io
