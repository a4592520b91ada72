#include "report.h"

#include <fmt/format.h>

#include <algorithm>

namespace wasmio::spectest {

void Report::record_failure(Failure f) {
  ++failure_count_;
  ++categories_[f.kind + ": " + f.category];
  if (failures_.size() < max_failures_shown_) failures_.push_back(std::move(f));
}

Counts Report::add_script(const Script& script, const std::vector<CommandResult>& results,
                          const CommandResult* teardown_failure) {
  Counts c;
  for (std::size_t i = 0; i < results.size() && i < script.commands.size(); ++i) {
    const Command& command = script.commands[i];
    const CommandResult& r = results[i];
    const std::string where = fmt::format("{}:{}", script.name, command.line);
    const std::string kind = command.type.empty() ? "?" : command.type;
    switch (r.outcome) {
      case Outcome::kPassed:
        ++c.passed;
        break;
      case Outcome::kSkipped:
        ++c.skipped;
        break;
      case Outcome::kFailed:
        ++c.failed;
        record_failure({where, kind, r.category, r.detail});
        break;
    }
    if (r.text_compared) {
      ++texts_compared_;
      if (r.text_matched) {
        ++texts_matched_;
      } else {
        text_mismatches_.push_back({where, kind, {}, r.detail});
      }
    }
  }
  if (teardown_failure != nullptr) {
    ++c.failed;
    record_failure(
        {script.name + ":end", "teardown", teardown_failure->category, teardown_failure->detail});
  }
  totals_.passed += c.passed;
  totals_.failed += c.failed;
  totals_.skipped += c.skipped;
  return c;
}

Counts Report::add_unreadable(const std::string& name, const std::string& why) {
  Counts c;
  c.failed = 1;
  record_failure({name, "script", "script unreadable", why});
  totals_.failed += 1;
  return c;
}

Counts Report::add_skipped_script(const Script& script) {
  Counts c;
  c.skipped = script.commands.size();
  totals_.skipped += c.skipped;
  return c;
}

std::string Report::summary_line(const Counts& c) {
  return fmt::format("spec: {} passed, {} failed, {} skipped", c.passed, c.failed, c.skipped);
}

void Report::print_summary(std::FILE* out, bool verbose) const {
  if (failure_count_ > 0) {
    fmt::print(out, "failures ({}):\n", failure_count_);
    for (const Failure& f : failures_) {
      fmt::print(out, "  {} {}: {}{}{}\n", f.where, f.kind, f.category,
                 f.detail.empty() ? "" : " -- ", f.detail);
    }
    if (failure_count_ > failures_.size()) {
      fmt::print(out, "  ... and {} more\n", failure_count_ - failures_.size());
    }
    std::vector<std::pair<std::string, std::size_t>> sorted(categories_.begin(), categories_.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    const std::size_t shown = verbose ? sorted.size() : std::min<std::size_t>(sorted.size(), 15);
    fmt::print(out, "failure categories ({} distinct):\n", sorted.size());
    for (std::size_t i = 0; i < shown; ++i) {
      fmt::print(out, "  {:6}  {}\n", sorted[i].second, sorted[i].first);
    }
    if (shown < sorted.size()) fmt::print(out, "  ... {} more categories\n", sorted.size() - shown);
  }
  if (verbose) {
    for (const Failure& f : text_mismatches_) {
      fmt::print(out, "  text mismatch {} {}: {}\n", f.where, f.kind, f.detail);
    }
  }
  fmt::print(out, "rejection texts (assert_invalid/malformed/unlinkable): {} of {} match\n",
             texts_matched_, texts_compared_);
  fmt::print(out, "{}\n", summary_line(totals_));
}

}  // namespace wasmio::spectest
