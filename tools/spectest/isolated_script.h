// Runs one script in a child process so that an engine crash, abort or hang costs one command,
// not the whole run. After a crash the next child replays the commands before the crashing one
// (their results are already recorded) to rebuild the script's state, then continues after it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "command_result.h"
#include "script.h"
#include "script_runner.h"

namespace wasmio::spectest {

// Deliberate faults for testing the isolation itself: at the command of `line` in `script`,
// the child crashes (SIGSEGV) or hangs instead of running it. Only on the first run of that
// command, never while replaying.
struct FaultInjection {
  enum class Kind : std::uint8_t { kNone, kCrash, kHang };
  Kind kind = Kind::kNone;
  std::string script;
  int line = 0;
};

struct IsolationOptions {
  bool enabled = true;            // false: run in this process (for debuggers)
  unsigned timeout_seconds = 60;  // without progress before the child is killed (0 = never)
  unsigned max_restarts = 25;     // crashes per script before the rest is given up
  FaultInjection fault;
};

struct ScriptOutcome {
  std::vector<CommandResult> results;  // one per command of the script
  // Destroying the store crashed or the child exited unsuccessfully after the last command
  // (for instance a sanitizer's leak report): counted as one more failed command.
  std::optional<CommandResult> teardown_failure;
};

ScriptOutcome run_script(const std::string& directory, const Script& script,
                         const RunnerOptions& runner_options, const IsolationOptions& isolation);

}  // namespace wasmio::spectest
