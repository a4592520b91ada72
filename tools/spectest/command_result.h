// The outcome of one script command, as counted and reported by the runner.
#pragma once

#include <cstdint>
#include <string>

namespace wasmio::spectest {

enum class Outcome : std::uint8_t { kPassed, kFailed, kSkipped };

struct CommandResult {
  Outcome outcome = Outcome::kFailed;
  // Rejection assertions (assert_invalid / assert_malformed / assert_unlinkable) pass on the
  // phase alone; whether the engine's text also matched the suite's is tracked separately.
  bool text_compared = false;
  bool text_matched = false;
  std::string category;  // short and free of specifics, to group failures ("result mismatch")
  std::string detail;    // what exactly happened

  static CommandResult passed() { return {Outcome::kPassed, false, false, {}, {}}; }
  static CommandResult skipped(std::string why) {
    return {Outcome::kSkipped, false, false, std::move(why), {}};
  }
  static CommandResult failed(std::string category, std::string detail = {}) {
    return {Outcome::kFailed, false, false, std::move(category), std::move(detail)};
  }
};

}  // namespace wasmio::spectest
