// Text of driver manifests and bindings for `wasmio inspect`, `wasmio bind` and `run --board`.
#pragma once

#include <string>

#include "io/bind/binding.h"
#include "io/manifest/manifest.h"
#include "wasmio/engine.h"

namespace wasmio::cli {

// The manifest, one peripheral per block, indented by two spaces.
std::string describe_manifest(const io::Manifest& manifest);
// What the board granted: per peripheral its node, windows, interrupts and properties.
std::string describe_binding(const io::ContainerBinding& binding, const io::BoardDescription& board);
// "manifest:" block for inspect: the parsed manifest, its parse error, or "none".
std::string describe_manifest_section(const Module& module);

}  // namespace wasmio::cli
