#include "isolated_script.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

namespace wasmio::spectest {
namespace {

// Child -> parent protocol, one line per event:
//   B <i>                                        command i starts (also while replaying)
//   R <i> <P|F|S> <text_compared> <text_matched>\t<category>\t<detail>
//   T                                            all commands done, store teardown starts
//   E                                            teardown done

void write_all(int fd, const std::string& data) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::_Exit(3);  // the parent is gone: nothing left to report to
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Tabs and newlines would break the line protocol.
std::string one_line(std::string_view s) {
  std::string out(s.substr(0, 600));
  for (char& c : out) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return out;
}

char outcome_letter(Outcome o) {
  switch (o) {
    case Outcome::kPassed:
      return 'P';
    case Outcome::kSkipped:
      return 'S';
    case Outcome::kFailed:
      break;
  }
  return 'F';
}

std::string encode(std::size_t index, const CommandResult& r) {
  return fmt::format("R {} {} {} {}\t{}\t{}\n", index, outcome_letter(r.outcome),
                     r.text_compared ? 1 : 0, r.text_matched ? 1 : 0, one_line(r.category),
                     one_line(r.detail));
}

bool decode(std::string_view line, std::size_t* index, CommandResult* r) {
  // "R <i> <L> <c> <m>\t<category>\t<detail>"
  auto tab1 = line.find('\t');
  if (tab1 == std::string_view::npos) return false;
  auto tab2 = line.find('\t', tab1 + 1);
  if (tab2 == std::string_view::npos) return false;
  std::string_view head = line.substr(0, tab1);
  unsigned long long i = 0;
  char letter = 0;
  int compared = 0, matched = 0;
  if (std::sscanf(std::string(head).c_str(), "R %llu %c %d %d", &i, &letter, &compared, &matched) !=
      4) {
    return false;
  }
  *index = static_cast<std::size_t>(i);
  r->outcome = letter == 'P'   ? Outcome::kPassed
               : letter == 'S' ? Outcome::kSkipped
                               : Outcome::kFailed;
  r->text_compared = compared != 0;
  r->text_matched = matched != 0;
  r->category = std::string(line.substr(tab1 + 1, tab2 - tab1 - 1));
  r->detail = std::string(line.substr(tab2 + 1));
  return true;
}

[[noreturn]] void child_main(int fd, const std::string& directory, const Script& script,
                             std::size_t first_new, const std::set<std::size_t>& crashed,
                             const RunnerOptions& runner_options, const FaultInjection& fault) {
  {
    ScriptRunner runner(directory, runner_options);
    for (std::size_t i = 0; i < script.commands.size(); ++i) {
      if (crashed.count(i) != 0) continue;
      const Command& command = script.commands[i];
      write_all(fd, fmt::format("B {}\n", i));
      if (i >= first_new && fault.kind != FaultInjection::Kind::kNone &&
          fault.script == script.name && fault.line == command.line) {
        if (fault.kind == FaultInjection::Kind::kCrash) std::raise(SIGSEGV);
        for (;;) ::pause();
      }
      CommandResult result = runner.run(command);
      if (i >= first_new) write_all(fd, encode(i, result));
    }
    write_all(fd, "T\n");
  }
  write_all(fd, "E\n");
  ::close(fd);
  // exit (not _exit): sanitizers report leaks at exit; stdio was flushed before the fork.
  std::exit(0);
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return fmt::format("signal {} ({})", sig, name != nullptr ? name : "?");
  }
  if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
  return fmt::format("wait status 0x{:x}", status);
}

ScriptOutcome run_in_process(const std::string& directory, const Script& script,
                             const RunnerOptions& runner_options) {
  ScriptOutcome outcome;
  ScriptRunner runner(directory, runner_options);
  for (const Command& command : script.commands) outcome.results.push_back(runner.run(command));
  return outcome;
}

}  // namespace

ScriptOutcome run_script(const std::string& directory, const Script& script,
                         const RunnerOptions& runner_options, const IsolationOptions& isolation) {
  if (!isolation.enabled) return run_in_process(directory, script, runner_options);

  const std::size_t n = script.commands.size();
  std::vector<std::optional<CommandResult>> results(n);
  std::optional<CommandResult> teardown_failure;
  std::set<std::size_t> crashed;
  std::size_t next = 0;  // first command without a recorded result
  unsigned restarts = 0;

  // Gives every command from `from` on the same failure.
  auto fail_rest = [&](std::size_t from, const std::string& category, const std::string& detail) {
    for (std::size_t i = from; i < n; ++i) {
      if (!results[i]) results[i] = CommandResult::failed(category, detail);
    }
  };

  for (;;) {
    int fds[2];
    std::fflush(stdout);
    std::fflush(stderr);
    if (::pipe(fds) != 0) {
      fail_rest(next, "runner could not create a pipe", std::strerror(errno));
      break;
    }
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      fail_rest(next, "runner could not fork", std::strerror(errno));
      break;
    }
    if (pid == 0) {
      ::close(fds[0]);
      child_main(fds[1], directory, script, next, crashed, runner_options, isolation.fault);
    }
    ::close(fds[1]);

    long current = -1;        // the command the child last started
    long last_reported = -1;  // the command the child last reported a result for
    bool teardown_started = false, ended = false, timed_out = false;
    std::string buffer;
    char chunk[4096];
    for (;;) {
      pollfd p{fds[0], POLLIN, 0};
      int timeout_ms =
          isolation.timeout_seconds == 0 ? -1 : static_cast<int>(isolation.timeout_seconds) * 1000;
      int ready = ::poll(&p, 1, timeout_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) {
        timed_out = true;
        ::kill(pid, SIGKILL);
        break;
      }
      ssize_t got = ::read(fds[0], chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(got));
      std::size_t start = 0, newline;
      while ((newline = buffer.find('\n', start)) != std::string::npos) {
        std::string_view line(buffer.data() + start, newline - start);
        start = newline + 1;
        if (line.starts_with("B ")) {
          std::size_t i = 0;
          std::from_chars(line.data() + 2, line.data() + line.size(), i);
          current = static_cast<long>(i);
        } else if (line.starts_with("R ")) {
          std::size_t i = 0;
          CommandResult r;
          if (decode(line, &i, &r) && i < n) {
            results[i] = std::move(r);
            next = i + 1;
            last_reported = static_cast<long>(i);
          }
        } else if (line == "T") {
          teardown_started = true;
        } else if (line == "E") {
          ended = true;
        }
      }
      buffer.erase(0, start);
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string how =
        timed_out ? fmt::format("no progress for {} s (killed)", isolation.timeout_seconds)
                  : describe_status(status);
    const bool clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;

    if (ended) {
      if (!clean_exit)
        teardown_failure = CommandResult::failed("runner child failed after the script", how);
      break;
    }
    if (teardown_started) {
      teardown_failure = CommandResult::failed("engine crashed while destroying the store", how);
      break;
    }
    if (current < 0) {
      fail_rest(next, "engine crashed while creating the store", how);
      break;
    }
    const auto at = static_cast<std::size_t>(current);
    if (current == last_reported) {
      // The command had reported its result; the crash came right after it (destructors).
      results[at] = CommandResult::failed("engine crashed after the command", how);
    } else if (at < next) {
      fail_rest(next, "engine crashed while replaying earlier commands",
                fmt::format("{} at line {}", how, script.commands[at].line));
      break;
    } else {
      results[at] = CommandResult::failed(timed_out ? "engine hung" : "engine crashed", how);
    }
    crashed.insert(at);
    next = at + 1;
    if (next >= n) break;
    if (++restarts > isolation.max_restarts) {
      fail_rest(next, "not run: too many engine crashes in this script",
                fmt::format("{} restarts", isolation.max_restarts));
      break;
    }
  }

  ScriptOutcome outcome;
  outcome.results.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    // A child that ended without reporting a command (should not happen) still accounts for it.
    outcome.results.push_back(results[i] ? std::move(*results[i])
                                         : CommandResult::failed("no result reported"));
  }
  outcome.teardown_failure = std::move(teardown_failure);
  return outcome;
}

}  // namespace wasmio::spectest
