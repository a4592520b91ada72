// The mapped access path: granted windows appear at guest addresses above linear memory (in the
// manifest's map range, placed by the binder) and ordinary Wasm loads and stores there become
// device accesses of exactly the instruction's width.
//
// It rides on the engine's OutOfBoundsHandler, which the interpreter calls only after a bounds
// check has failed: accesses inside linear memory take the interpreter's usual fast path and pay
// nothing for the windows. An access that hits no granted window, straddles a window's end,
// is misaligned or uses a width the manifest does not allow is refused; the interpreter then
// traps that container (the fault says why).
#pragma once

#include "host_call_path.h"

namespace wasmio::io {

// The handler for the container's memory 0; `io` must outlive the memory.
OutOfBoundsHandler mapped_path_handler(GuestWindows& io);

// What the handler does, callable directly (tests, benchmark baselines).
bool mapped_load(GuestWindows& io, std::uint64_t address, unsigned bytes, std::uint64_t* value);
bool mapped_store(GuestWindows& io, std::uint64_t address, unsigned bytes, std::uint64_t value);

}  // namespace wasmio::io
