// Internal: the validation stage. Checks a decoded module against the Wasm 2.0 typing rules
// (module level, constant expressions, every function body). Never modifies the module.
#pragma once

#include "module_impl.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

Expected<void> validate_module(const Module::Impl& m);

}  // namespace wasmio::detail
