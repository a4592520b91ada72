// The copy access path (MMIO-C): the driver keeps a shadow of a register window in its own
// linear memory and moves ranges between shadow and registers in batches.
//
//   pull(handle, offset, length, shadow): registers [offset, offset + length) -> shadow + offset
//   push(handle, offset, length, shadow): shadow + offset -> registers, same range
//
// Each register is moved with one access of the window's natural width (the widest width the
// manifest allows that divides both offset and length), in ascending address order. Bytes of
// the window's volatile ranges (read-to-clear status, FIFO data, write-1-to-clear bits) are
// skipped both ways: pulling them would consume events, pushing them back would re-trigger or
// clear them. The SDK's accessors reach those bytes with host calls instead. A range outside the
// window, a shadow outside linear memory or a length that is not a multiple of a permitted
// width traps the container (kAccessViolation).
#pragma once

#include <cstdint>
#include <span>

#include "host_call_path.h"

namespace wasmio::io {

// Host functions for the imports wasmio.shadow_pull / wasmio.shadow_push (user_data: the
// container's GuestWindows).
HostStatus copy_path_pull(HostCall& call);
HostStatus copy_path_push(HostCall& call);

// The same operations on a host-side shadow (tests, native benchmark). `shadow` covers the
// whole window. False (with the fault recorded) on a refused range.
bool shadow_pull(GuestWindows& io, std::int32_t handle, std::uint32_t offset, std::uint32_t length,
                 std::span<std::uint8_t> shadow);
bool shadow_push(GuestWindows& io, std::int32_t handle, std::uint32_t offset, std::uint32_t length,
                 std::span<const std::uint8_t> shadow);

}  // namespace wasmio::io
