// Post-deployment installation: a driver .wasm received at run time (over UART0), framed as
//   "WIO1" | length (u32, little-endian) | CRC-32 of the payload (u32 LE, IEEE 802.3) | payload
// The receiver refuses a frame with a wrong magic, a length over the cap, a stall (no byte
// within the timeout) or a CRC mismatch, and says which; nothing is installed from a refused frame.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wasmio::firmware {

inline constexpr std::uint8_t kFrameMagic[4] = {'W', 'I', 'O', '1'};
inline constexpr std::uint32_t kFrameHeaderBytes = 12;
inline constexpr std::uint32_t kMaxInstallBytes = 64 * 1024;

enum class FrameStatus : std::uint8_t { kOk, kBadMagic, kTooLong, kStalled, kBadCrc };
const char* frame_status_name(FrameStatus status);

struct Frame {
  FrameStatus status = FrameStatus::kStalled;
  std::uint32_t length = 0;        // from the header
  std::uint32_t received = 0;      // payload bytes received
  std::uint32_t crc_header = 0;    // what the header says
  std::uint32_t crc_payload = 0;   // what the payload has
  std::vector<std::uint8_t> payload;  // only when kOk
};

// The byte source: the next byte, or -1 when none arrived within the source's timeout.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual int next() = 0;
};

Frame receive_frame(ByteSource& source);

std::uint32_t crc32_ieee(std::span<const std::uint8_t> bytes);

// A complete frame around `payload` (selftests; the host side is tests/qemu/wasm_frame.py).
std::vector<std::uint8_t> make_frame(std::span<const std::uint8_t> payload);

}  // namespace wasmio::firmware
