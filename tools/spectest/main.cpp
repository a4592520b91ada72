// wasmio-spectest DIR [--file NAME]... [--verbose] [--tier interp|aot]
// Runs the wast2json output of the WebAssembly core suite (see README.md for what counts).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "isolated_script.h"
#include "report.h"
#include "script.h"

namespace fs = std::filesystem;
using namespace wasmio::spectest;

namespace {

// Script names in run order: converted.txt when present (convert.sh writes it), else *.json.
std::vector<std::string> list_scripts(const fs::path& dir) {
  std::vector<std::string> names;
  std::ifstream list(dir / "converted.txt");
  if (list) {
    std::string line;
    while (std::getline(list, line)) {
      if (!line.empty()) names.push_back(line);
    }
    return names;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool read_file(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return !in.bad();
}

bool parse_fault(const std::string& text, FaultInjection* fault) {
  // KIND@SCRIPT:LINE, KIND = crash | hang
  auto at = text.find('@');
  auto colon = text.rfind(':');
  if (at == std::string::npos || colon == std::string::npos || colon < at) return false;
  std::string kind = text.substr(0, at);
  if (kind == "crash") {
    fault->kind = FaultInjection::Kind::kCrash;
  } else if (kind == "hang") {
    fault->kind = FaultInjection::Kind::kHang;
  } else {
    return false;
  }
  fault->script = text.substr(at + 1, colon - at - 1);
  try {
    fault->line = std::stoi(text.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs WebAssembly spec test scripts converted by wast2json (scripts/spec-convert)"};
  std::string dir;
  std::vector<std::string> only;
  bool verbose = false;
  bool no_isolation = false;
  unsigned timeout = 60;
  std::size_t max_failures = 50;
  std::string fault_text;
  app.add_option("DIR", dir, "folder with NAME.json, the module files and converted.txt")
      ->required();
  app.add_option("--file", only, "run only this script (NAME or NAME.json); repeatable");
  app.add_flag("-v,--verbose", verbose,
               "per-file counts, every failure category and rejection-text mismatch; "
               "spectest.print* write to stderr");
  app.add_option("--timeout", timeout,
                 "seconds a command may run without progress before its process is killed "
                 "(0 = never)")
      ->capture_default_str();
  app.add_flag("--no-isolation", no_isolation,
               "run scripts in this process (for a debugger); an engine crash then ends the run");
  app.add_option("--max-failures-shown", max_failures, "failing commands listed")
      ->capture_default_str();
  std::string tier = "interp";
  AotLoaderOptions aot_options;
  app.add_option("--tier", tier, "interp (the interpreter) or aot (native code: each module compiled with "
                 "the system C++ compiler, cached by module hash)")
      ->check(CLI::IsMember({"interp", "aot"}))
      ->capture_default_str();
  app.add_option("--aot-cache", aot_options.cache_dir, "folder of compiled modules (default $TMPDIR/wasmio-aot-cache)");
  app.add_option("--aot-opt", aot_options.optimize, "optimisation flag for the AOT compiler")->capture_default_str();
  // Test-only: exercises the crash isolation (tests/cli). Not shown in --help.
  app.add_option("--inject-fault", fault_text, "")->group("");
  CLI11_PARSE(app, argc, argv);

  IsolationOptions isolation;
  isolation.enabled = !no_isolation;
  isolation.timeout_seconds = timeout;
  if (!fault_text.empty() && !parse_fault(fault_text, &isolation.fault)) {
    fmt::print(stderr, "wasmio-spectest: bad --inject-fault '{}' (crash|hang@SCRIPT:LINE)\n",
               fault_text);
    return 2;
  }
  RunnerOptions runner_options;
  runner_options.verbose = verbose;
  runner_options.aot = tier == "aot";
  // A command of the AOT tier includes a C++ compilation: on a loaded machine it can take
  // longer than the interpreter's default without being hung.
  if (runner_options.aot && app.count("--timeout") == 0) isolation.timeout_seconds = 600;
  runner_options.aot_loader = aot_options;

  const fs::path root(dir);
  if (!fs::is_directory(root)) {
    fmt::print(stderr, "wasmio-spectest: {} is not a folder\n", dir);
    return 2;
  }
  std::vector<std::string> scripts;
  if (only.empty()) {
    scripts = list_scripts(root);
  } else {
    for (std::string name : only) {
      if (!name.ends_with(".json")) name += ".json";
      if (!fs::exists(root / name)) {
        fmt::print(stderr, "wasmio-spectest: no script {} in {}\n", name, dir);
        return 2;
      }
      scripts.push_back(name);
    }
  }
  if (scripts.empty()) {
    // A run of nothing must not look like success.
    fmt::print(stderr, "wasmio-spectest: no scripts in {} (run scripts/spec-convert first)\n", dir);
    return 2;
  }

  Report report(max_failures);
  for (const std::string& name : scripts) {
    std::string text;
    Counts counts;
    if (!read_file(root / name, &text)) {
      counts = report.add_unreadable(name, "cannot read the file");
    } else {
      Script script = parse_script(text, name);
      if (!script.error.empty()) {
        counts = report.add_unreadable(name, script.error);
      } else if (name.starts_with("simd_")) {
        counts = report.add_skipped_script(script);  // fixed-width SIMD is not implemented
      } else {
        ScriptOutcome outcome = run_script(root.string(), script, runner_options, isolation);
        counts = report.add_script(script, outcome.results,
                                   outcome.teardown_failure ? &*outcome.teardown_failure : nullptr);
      }
    }
    if (verbose) {
      fmt::print("  {}: {} passed, {} failed{}\n", name, counts.passed, counts.failed,
                 counts.skipped ? fmt::format(", {} skipped", counts.skipped) : "");
      std::fflush(stdout);
    }
  }
  report.print_summary(stdout, verbose);
  return report.totals().failed > 0 ? 1 : 0;
}
