#include "install_frame.h"

namespace wasmio::firmware {

namespace {

bool read_u32(ByteSource& source, std::uint32_t* value) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int b = source.next();
    if (b < 0) return false;
    v |= static_cast<std::uint32_t>(b) << (8 * i);
  }
  *value = v;
  return true;
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

}  // namespace

const char* frame_status_name(FrameStatus status) {
  switch (status) {
    case FrameStatus::kOk: return "ok";
    case FrameStatus::kBadMagic: return "bad magic (not a WIO1 frame)";
    case FrameStatus::kTooLong: return "length over the installation cap";
    case FrameStatus::kStalled: return "stalled (no byte within the timeout)";
    case FrameStatus::kBadCrc: return "CRC-32 mismatch";
  }
  return "?";
}

std::uint32_t crc32_ieee(std::span<const std::uint8_t> bytes) {
  // Bitwise, no table: 1 KiB of flash saved; the rate is bounded by the UART anyway.
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

Frame receive_frame(ByteSource& source) {
  Frame frame;
  for (std::uint8_t expected : kFrameMagic) {
    const int b = source.next();
    if (b < 0) return frame;  // kStalled
    if (b != expected) {
      frame.status = FrameStatus::kBadMagic;
      return frame;
    }
  }
  if (!read_u32(source, &frame.length) || !read_u32(source, &frame.crc_header)) return frame;
  if (frame.length > kMaxInstallBytes) {
    frame.status = FrameStatus::kTooLong;
    return frame;
  }
  std::vector<std::uint8_t> payload;
  payload.reserve(frame.length);
  while (frame.received < frame.length) {
    const int b = source.next();
    if (b < 0) return frame;  // kStalled, `received` says how far it got
    payload.push_back(static_cast<std::uint8_t>(b));
    ++frame.received;
  }
  frame.crc_payload = crc32_ieee(payload);
  if (frame.crc_payload != frame.crc_header) {
    frame.status = FrameStatus::kBadCrc;
    return frame;
  }
  frame.status = FrameStatus::kOk;
  frame.payload = std::move(payload);
  return frame;
}

std::vector<std::uint8_t> make_frame(std::span<const std::uint8_t> payload) {
  std::vector<std::uint8_t> out(kFrameMagic, kFrameMagic + 4);
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, crc32_ieee(payload));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace wasmio::firmware
