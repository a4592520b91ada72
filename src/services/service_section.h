// The custom section "wasmio.services": which services a container provides and which it uses
// (sdk/include/wasmio/service.h writes it; format in docs/design/0013-services-and-update.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wasmio::services {

inline constexpr const char* kServiceSectionName = "wasmio.services";
inline constexpr const char* kServiceImportModule = "wasmio_svc";
inline constexpr std::uint8_t kSectionMajor = 1;  // a reader refuses other majors
inline constexpr std::uint8_t kSectionMinor = 0;  // newer minors only append fields to a record
inline constexpr std::uint32_t kMaxMessageBytes = 4096;
inline constexpr std::uint32_t kMaxCallBudget = 1'000'000;  // fuel: every call is bounded

struct Version {
  std::uint16_t major = 0;
  std::uint16_t minor = 0;
  // A provider of `*this` serves a caller asking for `wanted`: same major, minor at least.
  bool satisfies(Version wanted) const { return major == wanted.major && minor >= wanted.minor; }
  std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
};

struct ProvidedService {
  std::string name;
  Version version;
  std::uint32_t budget_fuel = 0;
  std::uint32_t max_request = 0;
  std::uint32_t max_reply = 0;
  std::string handler;  // export (i32 op, i32 request_length) -> i32
};

struct UsedService {
  std::string name;
  Version version;  // major, lowest acceptable minor
};

struct ServiceSection {
  std::vector<ProvidedService> provides;
  std::vector<UsedService> uses;
};

struct SectionParse {
  ServiceSection section;
  std::string error;  // empty when it parsed
  explicit operator bool() const { return error.empty(); }
};

// Every record checked: known kind, body inside the section, names non-empty and printable,
// budgets in 1..kMaxCallBudget, message sizes in 0..kMaxMessageBytes, no name twice.
SectionParse parse_service_section(std::span<const std::uint8_t> bytes);

}  // namespace wasmio::services
