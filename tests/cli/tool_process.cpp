#include "tool_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wasmio::testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ProcessResult run_process(const std::vector<std::string>& argv) {
  ProcessResult result;
  ScratchDir capture;
  const std::string out_path = capture.file("stdout"), err_path = capture.file("stderr");
  pid_t pid = ::fork();
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0) ::_exit(126);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) < 0) {
    ADD_FAILURE() << "cannot run " << argv.at(0);
    return result;
  }
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

ScratchDir::ScratchDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/wasmio-cli-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ScratchDir::write(const std::string& name, const std::string& contents) const {
  std::string path = file(name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string assemble(const ScratchDir& dir, const std::string& name, const std::string& wat,
                     const std::vector<std::string>& flags) {
  const std::string source = dir.write(name + ".wat", wat);
  const std::string output = dir.file(name + ".wasm");
  std::vector<std::string> argv = {WASMIO_WAT2WASM, source, "-o", output};
  argv.insert(argv.end(), flags.begin(), flags.end());
  ProcessResult r = run_process(argv);
  if (r.exit_status != 0) {
    ADD_FAILURE() << "wat2wasm rejected " << name << ":\n" << r.err;
    return "";
  }
  return output;
}

}  // namespace wasmio::testing
