// The mapped access path: granted windows appear at guest addresses above linear memory (in the
// manifest's map range, placed by the binder) and ordinary Wasm loads and stores there become
// device accesses of exactly the instruction's width.
//
// Each mapped window becomes one of the engine's device apertures (wasmio/engine.h) on the
// container's memory 0: a raw window (RegisterWindow::raw: real MMIO, a UIO or /dev/mem
// mapping) is accessed by the interpreter itself, one volatile access of the instruction's width
// and no call; a modelled window (the simulated board) keeps its read/write through a callback.
// The engine consults apertures only after its bounds check against linear memory failed, so
// ordinary accesses pay nothing for them. A refused access (straddling a window's end,
// misaligned, a width the manifest does not allow, a device fault) records the fault here and
// traps that container with kAccessViolation; an access in the map range that hits no window is
// a violation too; one outside the map range stays an ordinary out-of-bounds trap.
#pragma once

#include "host_call_path.h"

namespace wasmio::io {

// The handler for the container's memory 0, with one aperture per mapped window (built into
// `io.apertures`; the engine copies them). `io` must outlive the memory.
OutOfBoundsHandler mapped_path_handler(GuestWindows& io);

// A mapped access by guest address with every check (the handler's path for what no aperture
// accepts; tests and benchmark baselines). Refusals are recorded as the fault.
bool mapped_load(GuestWindows& io, std::uint64_t address, unsigned bytes, std::uint64_t* value);
bool mapped_store(GuestWindows& io, std::uint64_t address, unsigned bytes, std::uint64_t value);

}  // namespace wasmio::io
