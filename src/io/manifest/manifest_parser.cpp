#include "manifest_parser.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "manifest_format.h"
#include "text.h"

namespace wasmio::io {
namespace {

using manifest_format::RecordKind;
using manifest_format::kRecordHeaderBytes;

// Which characters a string field may hold. Labels are C identifiers because the SDK pastes them
// into symbol names; compatibles and property names use the devicetree's character sets.
enum class StringKind : std::uint8_t { kIdentifier, kCompatible, kPropertyName, kName };

bool allowed_char(StringKind kind, char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  const bool digit = c >= '0' && c <= '9';
  switch (kind) {
    case StringKind::kIdentifier: return alpha || c == '_' || (!first && digit);
    case StringKind::kCompatible:
      return alpha || digit || c == ',' || c == '.' || c == '_' || c == '+' || c == '-';
    case StringKind::kPropertyName:
      return alpha || digit || c == ',' || c == '.' || c == '_' || c == '+' || c == '-' ||
             c == '?' || c == '#';
    case StringKind::kName:  // driver and export names: printable ASCII except quotes/backslash
      return c > ' ' && c < 0x7F && c != '"' && c != '\\';
  }
  return false;
}

const char* string_kind_name(StringKind kind) {
  switch (kind) {
    case StringKind::kIdentifier: return "a C identifier";
    case StringKind::kCompatible: return "letters, digits and , . _ + -";
    case StringKind::kPropertyName: return "letters, digits and , . _ + ? # -";
    case StringKind::kName: return "printable ASCII without spaces, quotes or backslashes";
  }
  return "?";
}

// A cursor over one record body; offsets it reports are section offsets.
class BodyReader {
 public:
  BodyReader(const std::uint8_t* section, std::uint32_t pos, std::uint32_t end)
      : data_(section), pos_(pos), end_(end) {}
  std::uint32_t pos() const { return pos_; }
  std::uint32_t end() const { return end_; }
  bool at_end() const { return pos_ == end_; }
  bool has(std::uint32_t n) const { return end_ - pos_ >= n; }
  std::uint8_t u8() { return data_[pos_++]; }
  std::uint32_t u32() {
    std::uint32_t v = static_cast<std::uint32_t>(data_[pos_]) |
                      static_cast<std::uint32_t>(data_[pos_ + 1]) << 8 |
                      static_cast<std::uint32_t>(data_[pos_ + 2]) << 16 |
                      static_cast<std::uint32_t>(data_[pos_ + 3]) << 24;
    pos_ += 4;
    return v;
  }
  // The NUL-terminated string at pos, without consuming it; nullopt when no NUL before end.
  std::optional<std::string_view> peek_string() const {
    for (std::uint32_t i = pos_; i < end_; ++i) {
      if (data_[i] == 0) {
        return std::string_view(reinterpret_cast<const char*>(data_ + pos_), i - pos_);
      }
    }
    return std::nullopt;
  }
  void skip(std::uint32_t n) { pos_ += n; }

 private:
  const std::uint8_t* data_;
  std::uint32_t pos_;
  std::uint32_t end_;
};

// A window/irq/property record waiting for its peripheral to be known: the SDK's macros may sit
// in several translation units, so the linker can put them before the peripheral record.
struct PendingWindow {
  std::string label;
  WindowNeed window;
  std::uint32_t offset;
  std::uint32_t record;
};
struct PendingIrq {
  std::string label;
  IrqNeed irq;
  std::uint32_t offset;
  std::uint32_t record;
};
struct PendingProperty {
  std::string label;
  std::string name;
  std::uint32_t offset;
  std::uint32_t record;
};

class Parser {
 public:
  explicit Parser(std::span<const std::uint8_t> section) : section_(section) {}

  ManifestParseResult run();

 private:
  ManifestError fail(ManifestErrorCode code, std::uint32_t offset, std::string detail) const {
    return ManifestError{code, offset, record_, std::move(detail)};
  }

  // Each returns an error or nullopt; they read one field and advance `r`.
  std::optional<ManifestError> need(BodyReader& r, std::uint32_t bytes, const char* field) const;
  std::optional<ManifestError> string(BodyReader& r, StringKind kind, const char* field,
                                      std::string& out, bool allow_empty = false) const;

  std::optional<ManifestError> record(std::uint8_t minor, std::uint8_t kind, BodyReader& r);
  std::optional<ManifestError> driver(BodyReader& r);
  std::optional<ManifestError> peripheral(BodyReader& r);
  std::optional<ManifestError> window(BodyReader& r);
  std::optional<ManifestError> irq(BodyReader& r);
  std::optional<ManifestError> property(BodyReader& r);
  std::optional<ManifestError> attach();

  std::span<const std::uint8_t> section_;
  std::uint32_t record_ = UINT32_MAX;
  std::uint32_t record_offset_ = 0;
  bool have_driver_ = false;
  Manifest manifest_;
  std::vector<std::uint32_t> peripheral_offsets_;
  std::vector<PendingWindow> windows_;
  std::vector<PendingIrq> irqs_;
  std::vector<PendingProperty> properties_;
};

std::optional<ManifestError> Parser::need(BodyReader& r, std::uint32_t bytes,
                                          const char* field) const {
  if (r.has(bytes)) return std::nullopt;
  return fail(ManifestErrorCode::kTruncatedField, r.pos(),
              std::string("record body ends inside field '") + field + "'");
}

std::optional<ManifestError> Parser::string(BodyReader& r, StringKind kind, const char* field,
                                            std::string& out, bool allow_empty) const {
  const std::uint32_t at = r.pos();
  std::optional<std::string_view> s = r.peek_string();
  if (!s) {
    return fail(ManifestErrorCode::kMalformedString, at,
                std::string(field) + " has no terminating NUL inside the record");
  }
  if (s->size() > ManifestLimits::kMaxStringBytes) {
    return fail(ManifestErrorCode::kMalformedString, at,
                std::string(field) + " is " + std::to_string(s->size()) + " bytes, more than " +
                    std::to_string(ManifestLimits::kMaxStringBytes));
  }
  if (s->empty() && !allow_empty) {
    return fail(ManifestErrorCode::kMalformedString, at, std::string(field) + " is empty");
  }
  for (std::size_t i = 0; i < s->size(); ++i) {
    if (!allowed_char(kind, (*s)[i], i == 0)) {
      return fail(ManifestErrorCode::kMalformedString, at + static_cast<std::uint32_t>(i),
                  std::string(field) + " '" + text::printable(*s) + "' has a character (byte " +
                      text::hex(static_cast<std::uint8_t>((*s)[i])) + ") outside " +
                      string_kind_name(kind));
    }
  }
  out.assign(*s);
  r.skip(static_cast<std::uint32_t>(s->size()) + 1);
  return std::nullopt;
}

#define WASMIO_PARSE_TRY(expr)                  \
  do {                                          \
    if (auto error_ = (expr)) return *error_;   \
  } while (false)

std::optional<ManifestError> Parser::driver(BodyReader& r) {
  if (have_driver_) {
    return fail(ManifestErrorCode::kDuplicateDriverRecord, record_offset_,
                "a second driver record (driver '" + manifest_.driver +
                    "' was declared already); WASMIO_DRIVER must appear once per module");
  }
  have_driver_ = true;
  WASMIO_PARSE_TRY(need(r, 9, "access_path, map_base, map_size"));
  const std::uint32_t path_at = r.pos();
  const std::uint8_t path = r.u8();
  if (path > static_cast<std::uint8_t>(AccessPath::kCopy)) {
    return fail(ManifestErrorCode::kInvalidValue, path_at,
                "access path " + std::to_string(path) + " is not 0 (host-call), 1 (mapped) or 2 (copy)");
  }
  manifest_.access_path = static_cast<AccessPath>(path);
  const std::uint32_t range_at = r.pos();
  manifest_.map_base = r.u32();
  manifest_.map_size = r.u32();
  WASMIO_PARSE_TRY(string(r, StringKind::kName, "driver name", manifest_.driver));

  const std::uint64_t base = manifest_.map_base;
  const std::uint64_t size = manifest_.map_size;
  if (manifest_.access_path != AccessPath::kMapped) {
    if (base != 0 || size != 0) {
      return fail(ManifestErrorCode::kMappedRangeMissing, range_at,
                  std::string("a guest map range is given but the access path is ") +
                      access_path_name(manifest_.access_path));
    }
  } else {
    if (size < ManifestLimits::kMinMapSize || base == 0 || base % 4096 != 0 || size % 4096 != 0) {
      return fail(ManifestErrorCode::kMappedRangeMissing, range_at,
                  "mapped path needs a non-zero, 4 KiB-aligned guest range of at least 4 KiB, got "
                  "base " + text::hex(base) + " size " + text::hex(size));
    }
    if (base + size > (std::uint64_t{1} << 32)) {
      return fail(ManifestErrorCode::kAbsurdSize, range_at,
                  "guest map range " + text::hex(base) + " + " + text::hex(size) +
                      " ends beyond the 4 GiB wasm32 address space");
    }
  }
  return std::nullopt;
}

std::optional<ManifestError> Parser::peripheral(BodyReader& r) {
  WASMIO_PARSE_TRY(need(r, 1, "flags"));
  const std::uint32_t flags_at = r.pos();
  PeripheralNeed p;
  p.flags = r.u8();
  // Unknown flags are refused even from newer minors: a flag changes what the grant means.
  if ((p.flags & ~kPeripheralFlagMask) != 0) {
    return fail(ManifestErrorCode::kInvalidValue, flags_at,
                "peripheral flags " + text::hex(p.flags) + " have unknown bits (known: " +
                    text::hex(kPeripheralFlagMask) + ")");
  }
  const std::uint32_t label_at = r.pos();
  WASMIO_PARSE_TRY(string(r, StringKind::kIdentifier, "peripheral label", p.label));
  for (std::size_t i = 0; i < manifest_.peripherals.size(); ++i) {
    if (manifest_.peripherals[i].label == p.label) {
      return fail(ManifestErrorCode::kDuplicateLabel, label_at,
                  "duplicate peripheral label '" + p.label + "' (first declared at offset " +
                      text::hex(peripheral_offsets_[i]) + ")");
    }
  }
  if (manifest_.peripherals.size() >= ManifestLimits::kMaxPeripherals) {
    return fail(ManifestErrorCode::kTooManyItems, label_at,
                "more than " + std::to_string(ManifestLimits::kMaxPeripherals) + " peripherals");
  }
  for (;;) {
    const std::uint32_t at = r.pos();
    std::string compatible;
    WASMIO_PARSE_TRY(string(r, StringKind::kCompatible, "compatible string", compatible, true));
    if (compatible.empty()) break;  // the list's terminator
    if (p.compatible.size() >= ManifestLimits::kMaxCompatibles) {
      return fail(ManifestErrorCode::kTooManyItems, at,
                  "peripheral '" + p.label + "' lists more than " +
                      std::to_string(ManifestLimits::kMaxCompatibles) + " compatible strings");
    }
    if (std::find(p.compatible.begin(), p.compatible.end(), compatible) != p.compatible.end()) {
      return fail(ManifestErrorCode::kDuplicateCompatible, at,
                  "peripheral '" + p.label + "' lists compatible '" + compatible + "' twice");
    }
    p.compatible.push_back(std::move(compatible));
  }
  if (p.compatible.empty()) {
    return fail(ManifestErrorCode::kInvalidValue, label_at,
                "peripheral '" + p.label + "' lists no compatible string");
  }
  peripheral_offsets_.push_back(record_offset_);
  manifest_.peripherals.push_back(std::move(p));
  return std::nullopt;
}

std::optional<ManifestError> Parser::window(BodyReader& r) {
  PendingWindow pending{{}, {}, record_offset_, record_};
  WASMIO_PARSE_TRY(string(r, StringKind::kIdentifier, "peripheral label", pending.label));
  WASMIO_PARSE_TRY(need(r, 7, "index, widths, min_size, volatile count"));
  WindowNeed& w = pending.window;
  const std::uint32_t index_at = r.pos();
  w.index = r.u8();
  if (w.index >= ManifestLimits::kMaxWindows) {
    return fail(ManifestErrorCode::kTooManyItems, index_at,
                "window index " + std::to_string(w.index) + " of '" + pending.label +
                    "' is not below " + std::to_string(ManifestLimits::kMaxWindows));
  }
  const std::uint32_t widths_at = r.pos();
  w.widths = r.u8();
  if (w.widths == 0 || (w.widths & ~kWidthMask) != 0) {
    return fail(ManifestErrorCode::kInvalidValue, widths_at,
                "window " + std::to_string(w.index) + " of '" + pending.label +
                    "' has access widths " + text::hex(w.widths) +
                    " (need a non-empty subset of 8/16/32/64 = 0x1/0x2/0x4/0x8)");
  }
  const std::uint32_t size_at = r.pos();
  w.min_size = r.u32();
  if (w.min_size == 0 || w.min_size > ManifestLimits::kMaxWindowSize) {
    return fail(ManifestErrorCode::kAbsurdSize, size_at,
                "window " + std::to_string(w.index) + " of '" + pending.label + "' has size " +
                    text::hex(w.min_size) + " (must be 1.." +
                    text::hex(ManifestLimits::kMaxWindowSize) + ")");
  }
  const std::uint32_t count_at = r.pos();
  const std::uint8_t count = r.u8();
  if (count > ManifestLimits::kMaxVolatileRanges) {
    return fail(ManifestErrorCode::kTooManyItems, count_at,
                std::to_string(count) + " volatile ranges in window " + std::to_string(w.index) +
                    " of '" + pending.label + "' (limit " +
                    std::to_string(ManifestLimits::kMaxVolatileRanges) + ")");
  }
  for (std::uint8_t i = 0; i < count; ++i) {
    WASMIO_PARSE_TRY(need(r, 8, "volatile range"));
    const std::uint32_t at = r.pos();
    VolatileRange v;
    v.offset = r.u32();
    v.length = r.u32();
    if (v.length == 0 || std::uint64_t{v.offset} + v.length > w.min_size) {
      return fail(ManifestErrorCode::kVolatileRangeOutsideWindow, at,
                  "volatile range " + text::hex(v.offset) + "+" + text::hex(v.length) +
                      " is empty or outside window " + std::to_string(w.index) + " of '" +
                      pending.label + "' (size " + text::hex(w.min_size) + ")");
    }
    w.volatile_ranges.push_back(v);
  }
  std::vector<VolatileRange> sorted = w.volatile_ranges;
  std::sort(sorted.begin(), sorted.end(),
            [](const VolatileRange& a, const VolatileRange& b) { return a.offset < b.offset; });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i - 1].offset + sorted[i - 1].length > sorted[i].offset) {
      return fail(ManifestErrorCode::kOverlappingVolatileRanges, count_at,
                  "volatile ranges at " + text::hex(sorted[i - 1].offset) + " and " +
                      text::hex(sorted[i].offset) + " of window " + std::to_string(w.index) +
                      " of '" + pending.label + "' overlap");
    }
  }
  windows_.push_back(std::move(pending));
  return std::nullopt;
}

std::optional<ManifestError> Parser::irq(BodyReader& r) {
  PendingIrq pending{{}, {}, record_offset_, record_};
  WASMIO_PARSE_TRY(string(r, StringKind::kIdentifier, "peripheral label", pending.label));
  WASMIO_PARSE_TRY(need(r, 10, "index, priority, budget, min_interarrival_us"));
  IrqNeed& q = pending.irq;
  const std::uint32_t index_at = r.pos();
  q.index = r.u8();
  if (q.index >= ManifestLimits::kMaxIrqs) {
    return fail(ManifestErrorCode::kTooManyItems, index_at,
                "irq index " + std::to_string(q.index) + " of '" + pending.label +
                    "' is not below " + std::to_string(ManifestLimits::kMaxIrqs));
  }
  q.priority = r.u8();
  const std::uint32_t budget_at = r.pos();
  q.budget = r.u32();
  if (q.budget == 0) {
    return fail(ManifestErrorCode::kInvalidValue, budget_at,
                "irq " + std::to_string(q.index) + " of '" + pending.label +
                    "' has a zero budget: its handler could never run");
  }
  q.min_interarrival_us = r.u32();
  WASMIO_PARSE_TRY(string(r, StringKind::kName, "irq handler export name", q.handler));
  irqs_.push_back(std::move(pending));
  return std::nullopt;
}

std::optional<ManifestError> Parser::property(BodyReader& r) {
  PendingProperty pending{{}, {}, record_offset_, record_};
  WASMIO_PARSE_TRY(string(r, StringKind::kIdentifier, "peripheral label", pending.label));
  WASMIO_PARSE_TRY(string(r, StringKind::kPropertyName, "property name", pending.name));
  properties_.push_back(std::move(pending));
  return std::nullopt;
}

std::optional<ManifestError> Parser::record(std::uint8_t minor, std::uint8_t kind, BodyReader& r) {
  const bool newer = minor > kManifestMinorVersion;
  switch (static_cast<RecordKind>(kind)) {
    case RecordKind::kDriver: WASMIO_PARSE_TRY(driver(r)); break;
    case RecordKind::kPeripheral: WASMIO_PARSE_TRY(peripheral(r)); break;
    case RecordKind::kWindow: WASMIO_PARSE_TRY(window(r)); break;
    case RecordKind::kIrq: WASMIO_PARSE_TRY(irq(r)); break;
    case RecordKind::kProperty: WASMIO_PARSE_TRY(property(r)); break;
    default:
      if (newer) return std::nullopt;  // a kind added after our version: skip it
      return fail(ManifestErrorCode::kUnknownRecordKind, record_offset_ + 2,
                  "unknown record kind " + std::to_string(kind) + " in a version 1." +
                      std::to_string(minor) + " record");
  }
  // Newer minors may append fields; our own version must use exactly the bytes it declares.
  if (!r.at_end() && !newer) {
    return fail(ManifestErrorCode::kTrailingBytes, r.pos(),
                std::to_string(r.end() - r.pos()) + " trailing bytes after the last field of a " +
                    manifest_format::record_kind_name(kind) + " record");
  }
  return std::nullopt;
}

std::optional<ManifestError> Parser::attach() {
  for (PendingWindow& pw : windows_) {
    record_ = pw.record;
    PeripheralNeed* p = const_cast<PeripheralNeed*>(manifest_.find(pw.label));
    if (p == nullptr) {
      return fail(ManifestErrorCode::kUndeclaredLabel, pw.offset,
                  "window " + std::to_string(pw.window.index) + " names peripheral '" + pw.label +
                      "', which no peripheral record declares");
    }
    if (p->find_window(pw.window.index) != nullptr) {
      return fail(ManifestErrorCode::kDuplicateWindow, pw.offset,
                  "duplicate window index " + std::to_string(pw.window.index) +
                      " of peripheral '" + pw.label + "'");
    }
    p->windows.push_back(std::move(pw.window));
  }
  for (PendingIrq& pi : irqs_) {
    record_ = pi.record;
    PeripheralNeed* p = const_cast<PeripheralNeed*>(manifest_.find(pi.label));
    if (p == nullptr) {
      return fail(ManifestErrorCode::kUndeclaredLabel, pi.offset,
                  "irq " + std::to_string(pi.irq.index) + " names peripheral '" + pi.label +
                      "', which no peripheral record declares");
    }
    for (const IrqNeed& q : p->irqs) {
      if (q.index == pi.irq.index) {
        return fail(ManifestErrorCode::kDuplicateIrq, pi.offset,
                    "duplicate irq index " + std::to_string(q.index) + " of peripheral '" +
                        pi.label + "'");
      }
    }
    p->irqs.push_back(std::move(pi.irq));
  }
  for (PendingProperty& pp : properties_) {
    record_ = pp.record;
    PeripheralNeed* p = const_cast<PeripheralNeed*>(manifest_.find(pp.label));
    if (p == nullptr) {
      return fail(ManifestErrorCode::kUndeclaredLabel, pp.offset,
                  "property '" + pp.name + "' names peripheral '" + pp.label +
                      "', which no peripheral record declares");
    }
    if (std::find(p->properties.begin(), p->properties.end(), pp.name) != p->properties.end()) {
      return fail(ManifestErrorCode::kDuplicateProperty, pp.offset,
                  "property '" + pp.name + "' of peripheral '" + pp.label + "' declared twice");
    }
    if (p->properties.size() >= ManifestLimits::kMaxProperties) {
      return fail(ManifestErrorCode::kTooManyItems, pp.offset,
                  "peripheral '" + pp.label + "' reads more than " +
                      std::to_string(ManifestLimits::kMaxProperties) + " properties");
    }
    p->properties.push_back(std::move(pp.name));
  }
  return std::nullopt;
}

ManifestParseResult Parser::run() {
  if (section_.size() > ManifestLimits::kMaxSectionBytes) {
    return fail(ManifestErrorCode::kSectionTooLarge, 0,
                "section is " + std::to_string(section_.size()) + " bytes, limit " +
                    std::to_string(ManifestLimits::kMaxSectionBytes));
  }
  const std::uint32_t size = static_cast<std::uint32_t>(section_.size());
  std::uint32_t pos = 0;
  std::uint32_t count = 0;
  std::uint8_t max_minor = 0;
  while (pos < size) {
    record_ = count;
    record_offset_ = pos;
    if (count >= ManifestLimits::kMaxRecords) {
      return fail(ManifestErrorCode::kTooManyRecords, pos,
                  "more than " + std::to_string(ManifestLimits::kMaxRecords) + " records");
    }
    if (size - pos < kRecordHeaderBytes) {
      return fail(ManifestErrorCode::kTruncatedRecordHeader, pos,
                  std::to_string(size - pos) + " bytes left, a record header needs " +
                      std::to_string(kRecordHeaderBytes));
    }
    const std::uint8_t major = section_[pos];
    const std::uint8_t minor = section_[pos + 1];
    const std::uint8_t kind = section_[pos + 2];
    const std::uint32_t length = section_[pos + 3] | static_cast<std::uint32_t>(section_[pos + 4]) << 8;
    if (major != kManifestMajorVersion) {
      return fail(ManifestErrorCode::kUnknownMajorVersion, pos,
                  "record format version " + std::to_string(major) + "." + std::to_string(minor) +
                      ", this host reads version " + std::to_string(kManifestMajorVersion) + ".x");
    }
    const std::uint32_t body = pos + kRecordHeaderBytes;
    if (length > size - body) {
      return fail(ManifestErrorCode::kRecordPastEnd, pos + 3,
                  std::string(manifest_format::record_kind_name(kind)) + " record of " +
                      std::to_string(length) + " bytes runs past the section end (" +
                      std::to_string(size - body) + " bytes left)");
    }
    BodyReader r(section_.data(), body, body + length);
    WASMIO_PARSE_TRY(record(minor, kind, r));
    max_minor = std::max(max_minor, minor);
    pos = body + length;
    ++count;
  }
  record_ = UINT32_MAX;
  if (!have_driver_) {
    return fail(ManifestErrorCode::kMissingDriverRecord, 0,
                "no driver record (WASMIO_DRIVER) among " + std::to_string(count) + " records");
  }
  WASMIO_PARSE_TRY(attach());
  manifest_.minor_version = max_minor;
  return std::move(manifest_);
}

#undef WASMIO_PARSE_TRY

}  // namespace

const char* manifest_error_name(ManifestErrorCode code) noexcept {
  switch (code) {
    case ManifestErrorCode::kSectionTooLarge: return "section too large";
    case ManifestErrorCode::kTruncatedRecordHeader: return "truncated record header";
    case ManifestErrorCode::kUnknownMajorVersion: return "unknown major version";
    case ManifestErrorCode::kRecordPastEnd: return "record past end";
    case ManifestErrorCode::kTooManyRecords: return "too many records";
    case ManifestErrorCode::kUnknownRecordKind: return "unknown record kind";
    case ManifestErrorCode::kTruncatedField: return "truncated field";
    case ManifestErrorCode::kTrailingBytes: return "trailing bytes";
    case ManifestErrorCode::kMalformedString: return "malformed string";
    case ManifestErrorCode::kInvalidValue: return "invalid value";
    case ManifestErrorCode::kAbsurdSize: return "absurd size";
    case ManifestErrorCode::kMissingDriverRecord: return "missing driver record";
    case ManifestErrorCode::kDuplicateDriverRecord: return "duplicate driver record";
    case ManifestErrorCode::kDuplicateLabel: return "duplicate label";
    case ManifestErrorCode::kUndeclaredLabel: return "undeclared label";
    case ManifestErrorCode::kDuplicateWindow: return "duplicate window";
    case ManifestErrorCode::kDuplicateIrq: return "duplicate irq";
    case ManifestErrorCode::kDuplicateProperty: return "duplicate property";
    case ManifestErrorCode::kDuplicateCompatible: return "duplicate compatible";
    case ManifestErrorCode::kTooManyItems: return "too many items";
    case ManifestErrorCode::kVolatileRangeOutsideWindow: return "volatile range outside window";
    case ManifestErrorCode::kOverlappingVolatileRanges: return "overlapping volatile ranges";
    case ManifestErrorCode::kMappedRangeMissing: return "bad guest map range";
  }
  return "?";
}

std::string ManifestError::message() const {
  std::string m(kManifestSectionName);
  m += ": ";
  if (record != UINT32_MAX) m += "record " + std::to_string(record) + " ";
  m += "at offset " + text::hex(offset) + ": " + manifest_error_name(code) + ": " + detail;
  return m;
}

ManifestParseResult parse_manifest(std::span<const std::uint8_t> section) {
  return Parser(section).run();
}

}  // namespace wasmio::io
