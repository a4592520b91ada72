// Encodes a Manifest as `wasmio.manifest` section bytes (docs/manifest-format.md). The SDK's
// macros produce the same encoding from C; this writer serves hosts and tests that build
// manifests in C++ (and `llvm-objcopy --add-section` for drivers not built with the SDK).
// It encodes what it is given without judging it, so tests can also write invalid manifests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "manifest.h"
#include "manifest_format.h"

namespace wasmio::io {

// Appends one record (header + body). False, and nothing appended, when the body exceeds
// manifest_format::kMaxBodyBytes.
bool append_manifest_record(std::vector<std::uint8_t>& out, manifest_format::RecordKind kind,
                            std::span<const std::uint8_t> body,
                            std::uint8_t major = kManifestMajorVersion,
                            std::uint8_t minor = kManifestMinorVersion);

// The whole section: the driver record, then per peripheral its peripheral, window, irq and
// property records. Empty when a record would exceed the body size limit.
std::vector<std::uint8_t> write_manifest(const Manifest& manifest);

}  // namespace wasmio::io
