// The manifest parser: round trips with the writer, record order and concatenation, and one
// test per refusal with the place it names.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/manifest/manifest_parser.h"
#include "io/manifest/manifest_writer.h"

namespace wasmio::io {
namespace {

using manifest_format::RecordKind;
using Bytes = std::vector<std::uint8_t>;

// Record bodies written field by field, to craft inputs the writer would not produce.
class Body {
 public:
  Body& u8(std::uint8_t v) { b_.push_back(v); return *this; }
  Body& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  Body& str(std::string_view s) {
    b_.insert(b_.end(), s.begin(), s.end());
    b_.push_back(0);
    return *this;
  }
  Body& raw(std::string_view s) { b_.insert(b_.end(), s.begin(), s.end()); return *this; }
  const Bytes& bytes() const { return b_; }

 private:
  Bytes b_;
};

Body driver_body(std::uint8_t path = 0, std::uint32_t base = 0, std::uint32_t size = 0,
                 std::string_view name = "drv") {
  return Body().u8(path).u32(base).u32(size).str(name);
}
Body peripheral_body(std::string_view label, std::vector<std::string_view> compatibles,
                     std::uint8_t flags = 0) {
  Body b;
  b.u8(flags).str(label);
  for (std::string_view c : compatibles) b.str(c);
  return b.str("");
}
Body window_body(std::string_view label, std::uint8_t index, std::uint8_t widths,
                 std::uint32_t size, std::vector<VolatileRange> ranges = {}) {
  Body b;
  b.str(label).u8(index).u8(widths).u32(size).u8(static_cast<std::uint8_t>(ranges.size()));
  for (const VolatileRange& r : ranges) b.u32(r.offset).u32(r.length);
  return b;
}
Body irq_body(std::string_view label, std::uint8_t index, std::uint32_t budget = 1000,
              std::string_view handler = "on_irq") {
  return Body().str(label).u8(index).u8(3).u32(budget).u32(50).str(handler);
}

void add(Bytes& out, RecordKind kind, const Body& body, std::uint8_t major = 1,
         std::uint8_t minor = 0) {
  ASSERT_TRUE(append_manifest_record(out, kind, body.bytes(), major, minor));
}

// A minimal valid section: a driver and one peripheral with one window.
Bytes minimal() {
  Bytes s;
  add(s, RecordKind::kDriver, driver_body());
  add(s, RecordKind::kPeripheral, peripheral_body("uart", {"arm,cmsdk-uart"}));
  add(s, RecordKind::kWindow, window_body("uart", 0, kWidth32, 0x14));
  return s;
}

Manifest rich_manifest() {
  Manifest m;
  m.driver = "uart-echo";
  m.access_path = AccessPath::kMapped;
  m.map_base = 0xF0000000;
  m.map_size = 0x00100000;
  PeripheralNeed uart;
  uart.label = "console";
  uart.compatible = {"vendor,uart-v2", "arm,cmsdk-uart"};
  uart.flags = kPeripheralExclusive;
  uart.windows.push_back(WindowNeed{0, kWidth32, 0x14, {{0x0, 4}, {0xC, 4}}});
  uart.windows.push_back(WindowNeed{1, kWidth8 | kWidth16, 0x100, {}});
  uart.irqs.push_back(IrqNeed{0, 2, 20000, 80, "on_rx"});
  uart.irqs.push_back(IrqNeed{1, 5, 500, 0, "on_tx"});
  uart.properties = {"clock-frequency", "current-speed"};
  PeripheralNeed led;
  led.label = "leds";
  led.compatible = {"arm,mps2-fpgaio"};
  led.flags = kPeripheralOptional;
  led.windows.push_back(WindowNeed{0, kWidth32, 0x4, {}});
  m.peripherals = {uart, led};
  return m;
}

ManifestError expect_error(const Bytes& section, ManifestErrorCode code) {
  ManifestParseResult r = parse_manifest(section);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return {};
  EXPECT_EQ(r.error().code, code) << r.error().message();
  return r.error();
}

TEST(ManifestParser, RoundTripsWhatTheWriterWrites) {
  const Manifest m = rich_manifest();
  const Bytes bytes = write_manifest(m);
  ASSERT_FALSE(bytes.empty());
  ManifestParseResult r = parse_manifest(bytes);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.manifest(), m);
  EXPECT_EQ(r.manifest().find("console")->find_window(1)->min_size, 0x100u);
  EXPECT_TRUE(r.manifest().find("console")->exclusive());
  EXPECT_TRUE(r.manifest().find("leds")->optional());
  EXPECT_EQ(r.manifest().find("nope"), nullptr);
}

TEST(ManifestParser, ReadsMinimalSection) {
  ManifestParseResult r = parse_manifest(minimal());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.manifest().driver, "drv");
  EXPECT_EQ(r.manifest().access_path, AccessPath::kHostCall);
  ASSERT_EQ(r.manifest().peripherals.size(), 1u);
  EXPECT_EQ(r.manifest().peripherals[0].windows[0].widths, kWidth32);
}

TEST(ManifestParser, AcceptsRecordsInAnyOrderAsTheLinkerConcatenatesThem) {
  // Window and irq records from one translation unit before the peripheral and driver records
  // of another.
  Bytes s;
  add(s, RecordKind::kIrq, irq_body("uart", 0));
  add(s, RecordKind::kWindow, window_body("uart", 0, kWidth32, 0x14));
  add(s, RecordKind::kProperty, Body().str("uart").str("clock-frequency"));
  add(s, RecordKind::kPeripheral, peripheral_body("uart", {"arm,cmsdk-uart"}));
  add(s, RecordKind::kDriver, driver_body());
  ManifestParseResult r = parse_manifest(s);
  ASSERT_TRUE(r.ok()) << r.error().message();
  const PeripheralNeed& p = r.manifest().peripherals[0];
  EXPECT_EQ(p.windows.size(), 1u);
  ASSERT_EQ(p.irqs.size(), 1u);
  EXPECT_EQ(p.irqs[0].handler, "on_irq");
  EXPECT_EQ(p.properties, std::vector<std::string>{"clock-frequency"});
}

TEST(ManifestParser, SkipsUnknownKindsAndFieldsOfNewerMinorVersions) {
  Bytes s = minimal();
  add(s, static_cast<RecordKind>(42), Body().u32(7), 1, 3);
  Body extended = window_body("uart", 1, kWidth8, 4);
  extended.u32(0xDEADBEEF);  // a field appended in version 1.3
  add(s, RecordKind::kWindow, extended, 1, 3);
  ManifestParseResult r = parse_manifest(s);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.manifest().minor_version, 3);
  EXPECT_EQ(r.manifest().peripherals[0].windows.size(), 2u);
}

TEST(ManifestParser, RefusesUnknownKindOfOwnVersion) {
  Bytes s = minimal();
  const std::uint32_t at = static_cast<std::uint32_t>(s.size());
  add(s, static_cast<RecordKind>(42), Body().u32(7));
  ManifestError e = expect_error(s, ManifestErrorCode::kUnknownRecordKind);
  EXPECT_EQ(e.offset, at + 2);
  EXPECT_EQ(e.record, 3u);
}

TEST(ManifestParser, RefusesTrailingBytesInRecordOfOwnVersion) {
  Bytes s = minimal();
  const std::uint32_t at = static_cast<std::uint32_t>(s.size());
  Body b = peripheral_body("gpio", {"arm,cmsdk-gpio"});
  b.u8(0x55);
  add(s, RecordKind::kPeripheral, b);
  ManifestError e = expect_error(s, ManifestErrorCode::kTrailingBytes);
  EXPECT_EQ(e.offset, at + 5 + static_cast<std::uint32_t>(b.bytes().size()) - 1);
}

TEST(ManifestParser, RefusesUnknownMajorVersion) {
  Bytes s = minimal();
  add(s, RecordKind::kWindow, window_body("uart", 1, kWidth8, 4), 2, 0);
  ManifestError e = expect_error(s, ManifestErrorCode::kUnknownMajorVersion);
  EXPECT_NE(e.detail.find("version 2.0"), std::string::npos) << e.detail;
}

TEST(ManifestParser, ErrorMessageNamesRecordOffsetAndWhat) {
  Bytes s = minimal();
  add(s, RecordKind::kWindow, window_body("uart", 0, kWidth8, 4));
  ManifestError e = expect_error(s, ManifestErrorCode::kDuplicateWindow);
  EXPECT_EQ(e.message(),
            "wasmio.manifest: record 3 at offset 0x3e: duplicate window: duplicate window index 0 "
            "of peripheral 'uart'");
}

TEST(ManifestParser, RefusesTruncationAtEveryLengthButRecordBoundaries) {
  const Bytes full = minimal();
  const std::size_t driver_end = 18, peripheral_end = 45;  // whole records: a valid section
  for (std::size_t n = 1; n < full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    ManifestParseResult r = parse_manifest(cut);
    EXPECT_EQ(r.ok(), n == driver_end || n == peripheral_end) << "section cut to " << n;
  }
  expect_error(Bytes(full.begin(), full.begin() + 3), ManifestErrorCode::kTruncatedRecordHeader);
  expect_error(Bytes(full.begin(), full.end() - 1), ManifestErrorCode::kRecordPastEnd);
}

TEST(ManifestParser, RefusesFieldsCutShortInsideTheRecord) {
  Bytes s;
  add(s, RecordKind::kDriver, Body().u8(0).u32(0));
  expect_error(s, ManifestErrorCode::kTruncatedField);
  Bytes w = minimal();
  add(w, RecordKind::kWindow, Body().str("uart").u8(1).u8(kWidth8).u32(4).u8(1).u32(0));
  expect_error(w, ManifestErrorCode::kTruncatedField);
}

TEST(ManifestParser, RefusesMalformedStrings) {
  Bytes no_nul;
  add(no_nul, RecordKind::kDriver, Body().u8(0).u32(0).u32(0).raw("drv"));
  expect_error(no_nul, ManifestErrorCode::kMalformedString);

  Bytes s = minimal();
  add(s, RecordKind::kPeripheral, peripheral_body(std::string(64, 'a'), {"x,y"}));
  ManifestError e = expect_error(s, ManifestErrorCode::kMalformedString);
  EXPECT_NE(e.detail.find("64 bytes"), std::string::npos) << e.detail;

  Bytes digit_label = minimal();
  add(digit_label, RecordKind::kPeripheral, peripheral_body("2uart", {"x,y"}));
  expect_error(digit_label, ManifestErrorCode::kMalformedString);

  Bytes spaced = minimal();
  add(spaced, RecordKind::kPeripheral, peripheral_body("gpio", {"arm cmsdk"}));
  e = expect_error(spaced, ManifestErrorCode::kMalformedString);
  EXPECT_NE(e.detail.find("byte 0x20"), std::string::npos) << e.detail;

  Bytes empty_driver;
  add(empty_driver, RecordKind::kDriver, driver_body(0, 0, 0, ""));
  expect_error(empty_driver, ManifestErrorCode::kMalformedString);

  Bytes bad_property = minimal();
  add(bad_property, RecordKind::kProperty, Body().str("uart").str("clock\xff"));
  e = expect_error(bad_property, ManifestErrorCode::kMalformedString);
  EXPECT_NE(e.detail.find("\\xff"), std::string::npos) << e.detail;
}

TEST(ManifestParser, RefusesInvalidValues) {
  Bytes path;
  add(path, RecordKind::kDriver, driver_body(3));
  expect_error(path, ManifestErrorCode::kInvalidValue);

  Bytes flags = minimal();
  add(flags, RecordKind::kPeripheral, peripheral_body("gpio", {"a,b"}, 0x04));
  expect_error(flags, ManifestErrorCode::kInvalidValue);

  Bytes no_compatible = minimal();
  add(no_compatible, RecordKind::kPeripheral, peripheral_body("gpio", {}));
  expect_error(no_compatible, ManifestErrorCode::kInvalidValue);

  for (std::uint8_t widths : {std::uint8_t{0}, std::uint8_t{0x10}, std::uint8_t{0x84}}) {
    Bytes w = minimal();
    add(w, RecordKind::kWindow, window_body("uart", 1, widths, 4));
    expect_error(w, ManifestErrorCode::kInvalidValue);
  }

  Bytes budget = minimal();
  add(budget, RecordKind::kIrq, irq_body("uart", 0, 0));
  expect_error(budget, ManifestErrorCode::kInvalidValue);
}

TEST(ManifestParser, RefusesAbsurdWindowSizes) {
  for (std::uint32_t size : {0u, ManifestLimits::kMaxWindowSize + 1, 0xFFFFFFFFu}) {
    Bytes s = minimal();
    add(s, RecordKind::kWindow, window_body("uart", 1, kWidth32, size));
    expect_error(s, ManifestErrorCode::kAbsurdSize);
  }
  Bytes largest = minimal();
  add(largest, RecordKind::kWindow, window_body("uart", 1, kWidth32, ManifestLimits::kMaxWindowSize));
  EXPECT_TRUE(parse_manifest(largest).ok());
}

TEST(ManifestParser, ChecksTheGuestMapRangeAgainstTheAccessPath) {
  auto with_driver = [](Body driver) {
    Bytes s;
    add(s, RecordKind::kDriver, driver);
    return s;
  };
  EXPECT_TRUE(parse_manifest(with_driver(driver_body(1, 0xF0000000, 0x10000))).ok());
  expect_error(with_driver(driver_body(1, 0, 0)), ManifestErrorCode::kMappedRangeMissing);
  expect_error(with_driver(driver_body(1, 0xF0000800, 0x10000)),
               ManifestErrorCode::kMappedRangeMissing);
  expect_error(with_driver(driver_body(1, 0xF0000000, 0x800)),
               ManifestErrorCode::kMappedRangeMissing);
  expect_error(with_driver(driver_body(1, 0xFFFF0000, 0x20000)), ManifestErrorCode::kAbsurdSize);
  expect_error(with_driver(driver_body(0, 0xF0000000, 0x10000)),
               ManifestErrorCode::kMappedRangeMissing);
  expect_error(with_driver(driver_body(2, 0, 0x1000)), ManifestErrorCode::kMappedRangeMissing);
}

TEST(ManifestParser, RefusesMissingOrDuplicateDriverRecord) {
  expect_error({}, ManifestErrorCode::kMissingDriverRecord);
  Bytes no_driver;
  add(no_driver, RecordKind::kPeripheral, peripheral_body("uart", {"a,b"}));
  expect_error(no_driver, ManifestErrorCode::kMissingDriverRecord);
  Bytes twice = minimal();
  add(twice, RecordKind::kDriver, driver_body(0, 0, 0, "other"));
  ManifestError e = expect_error(twice, ManifestErrorCode::kDuplicateDriverRecord);
  EXPECT_NE(e.detail.find("'drv'"), std::string::npos) << e.detail;
}

TEST(ManifestParser, RefusesDuplicates) {
  Bytes label = minimal();
  add(label, RecordKind::kPeripheral, peripheral_body("uart", {"x,y"}));
  ManifestError e = expect_error(label, ManifestErrorCode::kDuplicateLabel);
  EXPECT_NE(e.detail.find("'uart'"), std::string::npos);
  EXPECT_NE(e.detail.find("offset 0x12"), std::string::npos) << e.detail;  // the first one

  Bytes window = minimal();
  add(window, RecordKind::kWindow, window_body("uart", 0, kWidth8, 8));
  expect_error(window, ManifestErrorCode::kDuplicateWindow);

  Bytes irq = minimal();
  add(irq, RecordKind::kIrq, irq_body("uart", 1));
  add(irq, RecordKind::kIrq, irq_body("uart", 1, 5, "other"));
  expect_error(irq, ManifestErrorCode::kDuplicateIrq);

  Bytes property = minimal();
  add(property, RecordKind::kProperty, Body().str("uart").str("clock-frequency"));
  add(property, RecordKind::kProperty, Body().str("uart").str("clock-frequency"));
  expect_error(property, ManifestErrorCode::kDuplicateProperty);

  Bytes compatible = minimal();
  add(compatible, RecordKind::kPeripheral, peripheral_body("spi", {"arm,pl022", "arm,pl022"}));
  expect_error(compatible, ManifestErrorCode::kDuplicateCompatible);
}

TEST(ManifestParser, RefusesReferencesToUndeclaredPeripherals) {
  for (RecordKind kind : {RecordKind::kWindow, RecordKind::kIrq, RecordKind::kProperty}) {
    Bytes s = minimal();
    const std::uint32_t at = static_cast<std::uint32_t>(s.size());
    Body b = kind == RecordKind::kWindow ? window_body("uartx", 0, kWidth32, 4)
             : kind == RecordKind::kIrq  ? irq_body("uartx", 0)
                                         : Body().str("uartx").str("reg-shift");
    add(s, kind, b);
    ManifestError e = expect_error(s, ManifestErrorCode::kUndeclaredLabel);
    EXPECT_EQ(e.offset, at);
    EXPECT_EQ(e.record, 3u);
    EXPECT_NE(e.detail.find("'uartx'"), std::string::npos) << e.detail;
  }
}

TEST(ManifestParser, EnforcesCountLimits) {
  Bytes compatibles = minimal();
  add(compatibles, RecordKind::kPeripheral,
      peripheral_body("spi", {"a,1", "a,2", "a,3", "a,4", "a,5", "a,6", "a,7", "a,8", "a,9"}));
  expect_error(compatibles, ManifestErrorCode::kTooManyItems);

  Bytes peripherals;
  add(peripherals, RecordKind::kDriver, driver_body());
  for (std::uint32_t i = 0; i <= ManifestLimits::kMaxPeripherals; ++i) {
    add(peripherals, RecordKind::kPeripheral, peripheral_body("p" + std::to_string(i), {"a,b"}));
  }
  expect_error(peripherals, ManifestErrorCode::kTooManyItems);

  Bytes window_index = minimal();
  add(window_index, RecordKind::kWindow, window_body("uart", 8, kWidth32, 4));
  expect_error(window_index, ManifestErrorCode::kTooManyItems);

  Bytes irq_index = minimal();
  add(irq_index, RecordKind::kIrq, irq_body("uart", 8));
  expect_error(irq_index, ManifestErrorCode::kTooManyItems);

  Bytes properties = minimal();
  for (std::uint32_t i = 0; i <= ManifestLimits::kMaxProperties; ++i) {
    add(properties, RecordKind::kProperty, Body().str("uart").str("prop" + std::to_string(i)));
  }
  expect_error(properties, ManifestErrorCode::kTooManyItems);

  Bytes ranges = minimal();
  Body b = Body().str("uart").u8(1).u8(kWidth8).u32(0x1000).u8(17);
  for (std::uint32_t i = 0; i < 17; ++i) b.u32(i * 4).u32(1);
  add(ranges, RecordKind::kWindow, b);
  expect_error(ranges, ManifestErrorCode::kTooManyItems);

  Bytes records = minimal();
  for (std::uint32_t i = 0; i < ManifestLimits::kMaxRecords; ++i) {
    add(records, static_cast<RecordKind>(99), Body(), 1, 9);  // skippable, but counted
  }
  expect_error(records, ManifestErrorCode::kTooManyRecords);

  Bytes huge(ManifestLimits::kMaxSectionBytes + 1, 0);
  expect_error(huge, ManifestErrorCode::kSectionTooLarge);
}

TEST(ManifestParser, ChecksVolatileRanges) {
  Bytes outside = minimal();
  add(outside, RecordKind::kWindow, window_body("uart", 1, kWidth32, 0x10, {{0xC, 8}}));
  expect_error(outside, ManifestErrorCode::kVolatileRangeOutsideWindow);

  Bytes wraps = minimal();
  add(wraps, RecordKind::kWindow, window_body("uart", 1, kWidth32, 0x10, {{0xFFFFFFFC, 8}}));
  expect_error(wraps, ManifestErrorCode::kVolatileRangeOutsideWindow);

  Bytes empty = minimal();
  add(empty, RecordKind::kWindow, window_body("uart", 1, kWidth32, 0x10, {{0x4, 0}}));
  expect_error(empty, ManifestErrorCode::kVolatileRangeOutsideWindow);

  Bytes overlap = minimal();
  add(overlap, RecordKind::kWindow, window_body("uart", 1, kWidth32, 0x10, {{0x8, 4}, {0x0, 9}}));
  expect_error(overlap, ManifestErrorCode::kOverlappingVolatileRanges);

  Bytes adjacent = minimal();
  add(adjacent, RecordKind::kWindow, window_body("uart", 1, kWidth32, 0x10, {{0x8, 4}, {0x0, 8}}));
  EXPECT_TRUE(parse_manifest(adjacent).ok());
}

TEST(ManifestWriter, RefusesBodiesAboveTheRecordLimit) {
  Bytes out;
  Bytes body(manifest_format::kMaxBodyBytes + 1, 1);
  EXPECT_FALSE(append_manifest_record(out, RecordKind::kDriver, body));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace wasmio::io
