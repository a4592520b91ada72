#include "service_section.h"

#include <algorithm>

namespace wasmio::services {

namespace {

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool done() const { return at_ == bytes_.size(); }
  bool u8(std::uint8_t* v) {
    if (bytes_.size() - at_ < 1) return false;
    *v = bytes_[at_++];
    return true;
  }
  bool u16(std::uint16_t* v) {
    if (bytes_.size() - at_ < 2) return false;
    *v = static_cast<std::uint16_t>(bytes_[at_] | bytes_[at_ + 1] << 8);
    at_ += 2;
    return true;
  }
  bool u32(std::uint32_t* v) {
    if (bytes_.size() - at_ < 4) return false;
    *v = static_cast<std::uint32_t>(bytes_[at_]) | static_cast<std::uint32_t>(bytes_[at_ + 1]) << 8 |
         static_cast<std::uint32_t>(bytes_[at_ + 2]) << 16 |
         static_cast<std::uint32_t>(bytes_[at_ + 3]) << 24;
    at_ += 4;
    return true;
  }
  // A NUL-terminated name of printable ASCII without spaces, 1..63 bytes.
  bool name(std::string* out) {
    const auto begin = bytes_.begin() + static_cast<std::ptrdiff_t>(at_);
    const auto nul = std::find(begin, bytes_.end(), std::uint8_t{0});
    if (nul == bytes_.end()) return false;
    out->assign(begin, nul);
    at_ += out->size() + 1;
    if (out->empty() || out->size() > 63) return false;
    return std::all_of(out->begin(), out->end(), [](char c) { return c > ' ' && c < 0x7F; });
  }
  Reader body(std::size_t length) {
    Reader r(bytes_.subspan(at_, length));
    at_ += length;
    return r;
  }
  std::size_t remaining() const { return bytes_.size() - at_; }
  std::size_t offset() const { return at_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

}  // namespace

SectionParse parse_service_section(std::span<const std::uint8_t> bytes) {
  SectionParse out;
  Reader r(bytes);
  auto fail = [&](std::size_t at, const std::string& what) {
    out.error = std::string(kServiceSectionName) + " at byte " + std::to_string(at) + ": " + what;
    return out;
  };
  while (!r.done()) {
    const std::size_t at = r.offset();
    std::uint8_t major = 0, minor = 0, kind = 0;
    std::uint16_t length = 0;
    if (!r.u8(&major) || !r.u8(&minor) || !r.u8(&kind) || !r.u16(&length)) {
      return fail(at, "truncated record header");
    }
    if (major != kSectionMajor) {
      return fail(at, "record version " + std::to_string(major) + "." + std::to_string(minor) +
                          " (this host reads major " + std::to_string(kSectionMajor) + ")");
    }
    if (length > r.remaining()) return fail(at, "record body runs past the section");
    Reader b = r.body(length);
    if (kind == 1) {
      ProvidedService p;
      if (!b.name(&p.name) || !b.u16(&p.version.major) || !b.u16(&p.version.minor) ||
          !b.u32(&p.budget_fuel) || !b.u32(&p.max_request) || !b.u32(&p.max_reply) ||
          !b.name(&p.handler)) {
        return fail(at, "malformed provide record");
      }
      if (p.budget_fuel == 0 || p.budget_fuel > kMaxCallBudget) {
        return fail(at, "service " + p.name + ": budget " + std::to_string(p.budget_fuel) +
                            " fuel (must be 1.." + std::to_string(kMaxCallBudget) + ")");
      }
      if (p.max_request > kMaxMessageBytes || p.max_reply > kMaxMessageBytes) {
        return fail(at, "service " + p.name + ": messages limited to " +
                            std::to_string(kMaxMessageBytes) + " bytes");
      }
      for (const ProvidedService& q : out.section.provides) {
        if (q.name == p.name) return fail(at, "service " + p.name + " provided twice");
      }
      out.section.provides.push_back(std::move(p));
    } else if (kind == 2) {
      UsedService u;
      if (!b.name(&u.name) || !b.u16(&u.version.major) || !b.u16(&u.version.minor)) {
        return fail(at, "malformed use record");
      }
      for (const UsedService& q : out.section.uses) {
        if (q.name == u.name) return fail(at, "service " + u.name + " used twice");
      }
      out.section.uses.push_back(std::move(u));
    } else {
      return fail(at, "unknown record kind " + std::to_string(kind));
    }
    // Later minors may append fields; this reader ignores what it does not know.
    if (minor == kSectionMinor && b.remaining() != 0) return fail(at, "trailing bytes in record");
  }
  return out;
}

}  // namespace wasmio::services
