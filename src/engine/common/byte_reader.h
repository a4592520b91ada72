// Internal: a bounds-checked cursor over a module binary, with the spec's LEB128 checks.
//
// A reader covers [pos, end) of the whole binary; offsets it reports are offsets in the binary,
// so every error can name the byte it refers to. Reading past `end` is an overrun; which error
// that is depends on where the reader sits (see overrun_error()), matching the texts of the
// spec suite: running out of the file at the top level is "unexpected end"; running out of the
// file inside a section or function is "unexpected end of section or function"; content that
// crosses into bytes after its section (the file goes on) is "section size mismatch".
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include "common/utf8.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

class ByteReader {
 public:
  ByteReader() = default;
  // A reader over the whole binary (the module header and section headers).
  explicit ByteReader(std::span<const std::uint8_t> file) noexcept
      : data_(file.data()), pos_(0), end_(static_cast<std::uint32_t>(file.size())),
        file_end_(end_), top_level_(true) {}

  // A reader over [pos, end) of the same binary, nested inside this one (section or body).
  ByteReader nested(std::uint32_t pos, std::uint32_t end) const noexcept {
    ByteReader r = *this;
    r.pos_ = pos;
    r.end_ = end;
    r.top_level_ = false;
    return r;
  }

  std::uint32_t pos() const noexcept { return pos_; }
  std::uint32_t end() const noexcept { return end_; }
  std::uint32_t file_end() const noexcept { return file_end_; }
  std::uint32_t remaining() const noexcept { return end_ - pos_; }
  bool at_end() const noexcept { return pos_ >= end_; }
  const std::uint8_t* file_data() const noexcept { return data_; }
  void skip_to(std::uint32_t pos) noexcept { pos_ = pos < end_ ? pos : end_; }

  // The error for a read that would cross `end`.
  Error overrun_error() const noexcept {
    if (top_level_) return make_error(ErrorCode::kUnexpectedEnd, pos_);
    if (end_ < file_end_) return make_error(ErrorCode::kSectionSizeMismatch, pos_);
    return make_error(ErrorCode::kUnexpectedEndOfSectionOrFunction, pos_);
  }

  Expected<std::uint8_t> u8() noexcept {
    if (pos_ >= end_) return Unexpected{overrun_error()};
    return data_[pos_++];
  }
  std::uint8_t peek_or(std::uint8_t fallback) const noexcept {
    return pos_ < end_ ? data_[pos_] : fallback;
  }

  // One-byte LEBs (most indices and small constants) take the inline fast path.
  Expected<std::uint32_t> u32() noexcept {
    if (pos_ < end_ && data_[pos_] < 0x80) return data_[pos_++];
    return leb<std::uint32_t, 32, false>();
  }
  Expected<std::int32_t> s32() noexcept {
    if (pos_ < end_ && data_[pos_] < 0x80) {
      const std::uint8_t b = data_[pos_++];
      return (b & 0x40) ? static_cast<std::int32_t>(b) - 0x80 : static_cast<std::int32_t>(b);
    }
    WASMIO_TRY_ASSIGN(v, (leb<std::uint32_t, 32, true>()));
    return static_cast<std::int32_t>(v);
  }
  // Block types: a signed 33-bit LEB (non-negative values are type indices).
  Expected<std::int64_t> s33() noexcept {
    WASMIO_TRY_ASSIGN(v, (leb<std::uint64_t, 33, true>()));
    return static_cast<std::int64_t>(v);
  }
  Expected<std::int64_t> s64() noexcept {
    WASMIO_TRY_ASSIGN(v, (leb<std::uint64_t, 64, true>()));
    return static_cast<std::int64_t>(v);
  }

  Expected<std::uint32_t> fixed32() noexcept {
    if (remaining() < 4) return Unexpected{overrun_at_end()};
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(data_[pos_ + i]) << (8 * i);
    pos_ += 4;
    return v;
  }
  Expected<std::uint64_t> fixed64() noexcept {
    if (remaining() < 8) return Unexpected{overrun_at_end()};
    std::uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += 8;
    return v;
  }

  // `size` raw bytes (a data segment's contents, a custom section's payload).
  Expected<std::span<const std::uint8_t>> bytes(std::uint32_t size) noexcept {
    if (size > remaining()) return Unexpected{overrun_at_end()};
    std::span<const std::uint8_t> out(data_ + pos_, size);
    pos_ += size;
    return out;
  }

  // A length-prefixed UTF-8 name. A length beyond the end of the file is "length out of
  // bounds"; one that only crosses the reader's end is an overrun.
  Expected<std::string_view> name() noexcept {
    const std::uint32_t at = pos_;
    WASMIO_TRY_ASSIGN(size, u32());
    if (size > file_end_ - pos_) return unexpected(ErrorCode::kLengthOutOfBounds, at);
    WASMIO_TRY_ASSIGN(raw, bytes(size));
    if (!is_valid_utf8(raw)) return unexpected(ErrorCode::kMalformedUtf8, at);
    return std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size());
  }

  // A vector length whose elements take at least `min_element_bytes` each: rejected before
  // anything is reserved when the remaining bytes cannot hold it, so a hostile count cannot
  // make the decoder allocate.
  Expected<std::uint32_t> count(std::uint32_t min_element_bytes) noexcept {
    WASMIO_TRY_ASSIGN(n, u32());
    if (min_element_bytes != 0 &&
        static_cast<std::uint64_t>(n) * min_element_bytes > remaining()) {
      // Reading the elements would run out of bytes: report it where that happens.
      pos_ = end_;
      return Unexpected{overrun_error()};
    }
    return n;
  }

 private:
  // An overrun discovered by a length check: reported at the reader's end, as a byte-by-byte
  // read would have.
  Error overrun_at_end() noexcept {
    pos_ = end_;
    return overrun_error();
  }

  // LEB128 with the spec's two checks: at most ceil(kBits/7) bytes ("integer representation
  // too long") and, in the last byte, the bits beyond kBits must be zero (unsigned) or copies
  // of the sign bit (signed) ("integer too large").
  template <typename U, unsigned kBits, bool kSigned>
  Expected<U> leb() noexcept {
    constexpr unsigned kMaxBytes = (kBits + 6) / 7;
    constexpr unsigned kLastBits = kBits - 7 * (kMaxBytes - 1);  // payload bits of last byte
    constexpr std::uint8_t kUnusedMask = static_cast<std::uint8_t>(0x7F & ~((1u << kLastBits) - 1));
    U result = 0;
    unsigned shift = 0;
    const std::uint32_t start = pos_;
    for (unsigned i = 0;; ++i) {
      if (pos_ >= end_) return Unexpected{leb_overrun_error<kBits, kSigned>(start)};
      const std::uint8_t b = data_[pos_++];
      if (i == kMaxBytes - 1) {
        if (b & 0x80) return unexpected(ErrorCode::kIntegerRepresentationTooLong, pos_ - 1);
        std::uint8_t allowed = 0;
        if (kSigned && (b & (1u << (kLastBits - 1)))) allowed = kUnusedMask;
        if ((b & kUnusedMask) != allowed) return unexpected(ErrorCode::kIntegerTooLarge, pos_ - 1);
      }
      result |= static_cast<U>(b & 0x7F) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if constexpr (kSigned) {
          if (shift < sizeof(U) * 8 && (b & 0x40)) result |= ~static_cast<U>(0) << shift;
        }
        break;
      }
    }
    if constexpr (kSigned && kBits < sizeof(U) * 8) {
      // Sign-extend from kBits (s32 in a uint32_t needs nothing; s33 in a uint64_t does).
      const unsigned unused = sizeof(U) * 8 - kBits;
      result = static_cast<U>(static_cast<std::make_signed_t<U>>(result << unused) >> unused);
    }
    return result;
  }

  // An LEB cut off by the end of a section or body while the file goes on: when the bytes
  // that follow show the number itself is malformed, that is the more precise diagnosis (and
  // the one the spec suite expects); they are only inspected, never decoded into the module.
  template <unsigned kBits, bool kSigned>
  Error leb_overrun_error(std::uint32_t start) const noexcept {
    if (end_ < file_end_) {
      ByteReader rest = *this;
      rest.pos_ = start;
      rest.end_ = file_end_;
      rest.top_level_ = true;
      auto beyond = rest.template leb<std::uint64_t, kBits, kSigned>();
      if (!beyond && beyond.error().code != ErrorCode::kUnexpectedEnd) return beyond.error();
    }
    return overrun_error();
  }

  const std::uint8_t* data_ = nullptr;
  std::uint32_t pos_ = 0;
  std::uint32_t end_ = 0;
  std::uint32_t file_end_ = 0;
  bool top_level_ = false;
};

}  // namespace wasmio::detail
