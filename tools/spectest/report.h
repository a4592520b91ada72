// Counting and printing: per-file lines, the failure list, failure categories, the rejection
// text statistics and the final `spec: N passed, M failed, K skipped` line.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "command_result.h"
#include "script.h"

namespace wasmio::spectest {

struct Counts {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;
};

class Report {
 public:
  explicit Report(std::size_t max_failures_shown = 50) : max_failures_shown_(max_failures_shown) {}

  // One result per command of `script` (plus an optional teardown failure). Returns the file's
  // counts.
  Counts add_script(const Script& script, const std::vector<CommandResult>& results,
                    const CommandResult* teardown_failure);
  // A script that could not be read or parsed: one failure.
  Counts add_unreadable(const std::string& name, const std::string& why);
  // A script not run on purpose (SIMD): every command counts as skipped.
  Counts add_skipped_script(const Script& script);

  const Counts& totals() const noexcept { return totals_; }

  // Everything after the per-file lines; the last line is the summary.
  void print_summary(std::FILE* out, bool verbose) const;
  static std::string summary_line(const Counts& c);

 private:
  struct Failure {
    std::string where;  // file:line
    std::string kind;
    std::string category;
    std::string detail;
  };
  void record_failure(Failure f);

  std::size_t max_failures_shown_;
  Counts totals_;
  std::size_t failure_count_ = 0;
  std::vector<Failure> failures_;  // the first max_failures_shown_
  std::map<std::string, std::size_t> categories_;
  std::size_t texts_compared_ = 0;
  std::size_t texts_matched_ = 0;
  std::vector<Failure> text_mismatches_;
};

}  // namespace wasmio::spectest
