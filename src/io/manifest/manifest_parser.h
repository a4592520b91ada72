// Strict, bounded reader of the `wasmio.manifest` custom section (docs/manifest-format.md).
// Untrusted input: every count and length is checked against ManifestLimits before use, and the
// first problem is reported with what it is and where (byte offset in the section, record number).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "manifest.h"

namespace wasmio::io {

enum class ManifestErrorCode : std::uint8_t {
  kSectionTooLarge,         // more than ManifestLimits::kMaxSectionBytes
  kTruncatedRecordHeader,   // fewer than 5 bytes left where a record starts
  kUnknownMajorVersion,     // a record of a format we cannot read
  kRecordPastEnd,           // a record's length runs past the section
  kTooManyRecords,
  kUnknownRecordKind,       // of our minor version or older
  kTruncatedField,          // the record body ends inside a field
  kTrailingBytes,           // bytes after the last field of a record of our minor or older
  kMalformedString,         // missing NUL, too long, empty, or characters not allowed there
  kInvalidValue,            // an enum or flag value outside its range
  kAbsurdSize,              // window size 0 or above the limit, map range out of the 4 GiB space
  kMissingDriverRecord,
  kDuplicateDriverRecord,
  kDuplicateLabel,
  kUndeclaredLabel,         // a window/irq/property record for a peripheral never declared
  kDuplicateWindow,
  kDuplicateIrq,
  kDuplicateProperty,
  kDuplicateCompatible,
  kTooManyItems,            // peripherals, compatibles, windows, irqs, properties or ranges
  kVolatileRangeOutsideWindow,
  kOverlappingVolatileRanges,
  kMappedRangeMissing,      // mapped path without a usable guest range / other paths with one
};

const char* manifest_error_name(ManifestErrorCode code) noexcept;

struct ManifestError {
  ManifestErrorCode code = ManifestErrorCode::kTruncatedRecordHeader;
  std::uint32_t offset = 0;            // byte offset in the section payload
  std::uint32_t record = UINT32_MAX;   // 0-based record number; UINT32_MAX: whole section
  std::string detail;                  // what exactly: "duplicate label 'uart'"

  // "wasmio.manifest: record 3 at offset 0x2a: duplicate window index 0 of peripheral 'uart'"
  std::string message() const;
};

// Either a manifest or the reason there is none.
class ManifestParseResult {
 public:
  ManifestParseResult(Manifest manifest) : manifest_(std::move(manifest)) {}  // NOLINT
  ManifestParseResult(ManifestError error) : error_(std::move(error)) {}      // NOLINT

  bool ok() const noexcept { return manifest_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Manifest& manifest() const& noexcept { return *manifest_; }
  Manifest&& manifest() && noexcept { return std::move(*manifest_); }
  const ManifestError& error() const noexcept { return error_; }

 private:
  std::optional<Manifest> manifest_;
  ManifestError error_;
};

// Parses one section payload (the bytes after the custom section's name).
ManifestParseResult parse_manifest(std::span<const std::uint8_t> section);

}  // namespace wasmio::io
