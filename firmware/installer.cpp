#include "installer.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace wasmio::firmware {

namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
  char buffer[160];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buffer, sizeof(buffer), fmt, args);
  va_end(args);
  return buffer;
}

}  // namespace

InstallOutcome install_driver(BoardDrivers& drivers, Frame frame,
                              std::vector<InstalledDriver>& installed) {
  InstallOutcome out;
  if (frame.status != FrameStatus::kOk) {
    out.message = format("install: refused: %s (length %" PRIu32 ", received %" PRIu32
                         ", crc header 0x%08" PRIx32 " payload 0x%08" PRIx32 ")",
                         frame_status_name(frame.status), frame.length, frame.received,
                         frame.crc_header, frame.crc_payload);
    return out;
  }
  InstalledDriver driver;
  driver.bytes = std::move(frame.payload);
  // The container refers to driver.bytes (no second copy); the vector's buffer does not move
  // when `driver` is moved into `installed`.
  io::ContainerLoad load = drivers.load(driver.bytes, "received.wasm", /*bytes_stay=*/true);
  if (!load) {
    // One line per outcome: the error's lines (one reason each, indented) joined by spaces.
    out.message = "install: refused:";
    bool space = true;
    for (char c : load.error) {
      const bool blank = c == '\n' || c == ' ';
      if (!blank) out.message += space ? std::string(" ") + c : std::string(1, c);
      space = blank;
    }
    return out;
  }
  driver.container = std::move(load.container);
  io::DriverContainer& c = *driver.container;
  out.message = format("install: ok '%s' (%u bytes, %u windows, %u irqs)", c.name().c_str(),
                       static_cast<unsigned>(driver.bytes.size()),
                       static_cast<unsigned>(c.binding().windows.size()),
                       static_cast<unsigned>(c.binding().irqs.size()));
  if (c.exports_function("main")) {
    io::CallResult r = c.call("main", {}, 10'000'000);
    if (r.ok && r.results.size() == 1) {
      out.message += format(" main() = %" PRId32, r.results[0].of.i32);
    } else if (r.ok) {
      out.message += " main() returned";
    } else {
      out.message += " main() failed: " + r.message;
    }
  }
  out.ok = true;
  installed.push_back(std::move(driver));
  return out;
}

}  // namespace wasmio::firmware
