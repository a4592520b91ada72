// Internal: the decoding stage. Parses a Wasm binary into Module::Impl, checking only the
// binary format (errors of Phase::kDecode, the spec's "malformed").
#pragma once

#include <cstdint>
#include <span>

#include "module_impl.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

// `m.bytes` must already refer to the binary (owned or borrowed).
Expected<void> decode_module(Module::Impl& m);

}  // namespace wasmio::detail
