// The "wasmio.services" section parser: what the SDK macros write parses; every malformed or
// unbounded record is refused with the reason.
#include <gtest/gtest.h>

#include "services/service_section.h"

namespace wasmio::services {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put_u16(Bytes& b, std::uint16_t v) {
  b.push_back(v & 0xFF);
  b.push_back(v >> 8);
}
void put_u32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back((v >> (8 * i)) & 0xFF);
}
void put_str(Bytes& b, const std::string& s) {
  b.insert(b.end(), s.begin(), s.end());
  b.push_back(0);
}
Bytes record(std::uint8_t kind, const Bytes& body, std::uint8_t major = 1, std::uint8_t minor = 0) {
  Bytes r{major, minor, kind};
  put_u16(r, static_cast<std::uint16_t>(body.size()));
  r.insert(r.end(), body.begin(), body.end());
  return r;
}
Bytes provide(const std::string& name, std::uint32_t budget = 1000, std::uint32_t req = 16,
              std::uint32_t reply = 16) {
  Bytes b;
  put_str(b, name);
  put_u16(b, 1);
  put_u16(b, 2);
  put_u32(b, budget);
  put_u32(b, req);
  put_u32(b, reply);
  put_str(b, "on_call");
  return record(1, b);
}
Bytes use(const std::string& name) {
  Bytes b;
  put_str(b, name);
  put_u16(b, 1);
  put_u16(b, 0);
  return record(2, b);
}
Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ServiceSection, ProvideAndUseRecordsParse) {
  const SectionParse p = parse_service_section(cat(provide("sensor.temperature"), use("uart.frames")));
  ASSERT_TRUE(p) << p.error;
  ASSERT_EQ(p.section.provides.size(), 1u);
  EXPECT_EQ(p.section.provides[0].name, "sensor.temperature");
  EXPECT_EQ(p.section.provides[0].version.major, 1);
  EXPECT_EQ(p.section.provides[0].version.minor, 2);
  EXPECT_EQ(p.section.provides[0].budget_fuel, 1000u);
  EXPECT_EQ(p.section.provides[0].handler, "on_call");
  ASSERT_EQ(p.section.uses.size(), 1u);
  EXPECT_EQ(p.section.uses[0].name, "uart.frames");
  EXPECT_TRUE(parse_service_section(Bytes{}));  // no record is a valid (empty) section
}

TEST(ServiceSection, VersionsSatisfyOnSameMajorAndHigherMinor) {
  EXPECT_TRUE((Version{1, 2}).satisfies({1, 0}));
  EXPECT_TRUE((Version{1, 2}).satisfies({1, 2}));
  EXPECT_FALSE((Version{1, 1}).satisfies({1, 2}));
  EXPECT_FALSE((Version{2, 0}).satisfies({1, 0}));
}

TEST(ServiceSection, UnboundedOrOversizedServicesAreRefused) {
  EXPECT_NE(parse_service_section(provide("a", 0)).error.find("budget 0"), std::string::npos);
  EXPECT_FALSE(parse_service_section(provide("a", kMaxCallBudget + 1)));
  EXPECT_NE(parse_service_section(provide("a", 10, kMaxMessageBytes + 1)).error.find("limited"),
            std::string::npos);
  EXPECT_FALSE(parse_service_section(provide("a", 10, 1, kMaxMessageBytes + 1)));
}

TEST(ServiceSection, MalformedRecordsAreRefused) {
  EXPECT_NE(parse_service_section(cat(provide("a"), provide("a"))).error.find("provided twice"),
            std::string::npos);
  EXPECT_NE(parse_service_section(cat(use("a"), use("a"))).error.find("used twice"),
            std::string::npos);
  EXPECT_NE(parse_service_section(record(9, {})).error.find("unknown record kind 9"),
            std::string::npos);
  EXPECT_NE(parse_service_section(record(2, {'x', 0, 1, 0, 0, 0}, 2)).error.find("major 1"),
            std::string::npos);
  Bytes truncated = provide("a");
  truncated.pop_back();
  EXPECT_FALSE(parse_service_section(truncated));
  EXPECT_NE(parse_service_section(Bytes{1, 0, 2, 50, 0}).error.find("past the section"),
            std::string::npos);
  EXPECT_FALSE(parse_service_section(Bytes{1, 0}));                       // header cut short
  EXPECT_FALSE(parse_service_section(record(2, {0, 1, 0, 0, 0})));   // empty name
  EXPECT_FALSE(parse_service_section(record(2, {'a', ' ', 'b', 0, 1, 0, 0, 0})));  // space
  Bytes trailing = use("a");
  trailing.push_back(7);
  trailing[3] += 1;  // body length covers the extra byte
  EXPECT_NE(parse_service_section(trailing).error.find("trailing"), std::string::npos);
  trailing[1] = 1;  // a newer minor may append fields: accepted
  EXPECT_TRUE(parse_service_section(trailing));
}

}  // namespace
}  // namespace wasmio::services
