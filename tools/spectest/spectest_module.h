// The standard `spectest` host module the suite imports from: print functions, four globals,
// a table and a memory, with the reference interpreter's types and values.
#pragma once

#include "wasmio/engine.h"

namespace wasmio::spectest {

struct SpectestModuleOptions {
  bool verbose = false;  // print functions write their arguments to stderr
};

// Creates the host objects in `store` and defines them under module name "spectest" in `linker`.
// Returns the first error from the store (the objects are small, so this is host exhaustion).
Expected<void> define_spectest_module(Store& store, Linker& linker,
                                      const SpectestModuleOptions& options);

}  // namespace wasmio::spectest
