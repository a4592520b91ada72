// Internal: the lowering stage. Translates every validated function body of a module into the
// internal code the interpreter runs (lowered_code.h), once, at load time.
#pragma once

#include "module_impl.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

// Precondition: the module passed validate/ (lowering trusts every check made there).
// Fills m.lowered. Fails only on implementation limits (e.g. a function too large to encode).
Expected<void> lower_module(Module::Impl& m);

}  // namespace wasmio::detail
