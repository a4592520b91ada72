// Status codes of the asynchronous I/O service, as the guest sees them (sdk/include/wasmio/async.h
// carries the same numbers). Positive op ids, 0 = done without error, 1 = still running.
#pragma once

#include <cstdint>

namespace wasmio::io::async {

enum AsyncStatus : std::int32_t {
  kDone = 0,
  kRunning = 1,
  kBadHandle = -1,      // not a window the container was granted
  kUnsupported = -2,    // the window's device has no transfer of this kind
  kOutsideMemory = -3,  // a buffer is not inside the container's linear memory
  kOverlap = -4,        // a buffer overlaps one lent to a running transfer
  kTooMany = -5,        // every operation slot of the container is in use
  kBusy = -6,           // the device already runs a transfer in that direction
  kInvalid = -7,        // zero length, bad I2C address, odd length for 16-bit frames, ...
  kDeviceError = -8,    // the device reported an error (I2C NACK, RX overrun)
  kBusError = -9,       // the DMA controller got an error response
  kCancelled = -10,     // cancelled by the guest or because the container went away
  kUnknownOp = -11,     // no such operation (never started, or its result already taken)
};

const char* async_status_name(std::int32_t status);

}  // namespace wasmio::io::async
