// Test helpers: run a built tool as a subprocess and capture its output; a scratch folder;
// assembling modules from text with wabt's wat2wasm.
#pragma once

#include <string>
#include <vector>

namespace wasmio::testing {

struct ProcessResult {
  int exit_status = -1;  // -1 when the process did not exit normally
  int signal = 0;        // the terminating signal, if any
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv);

// A fresh folder under $TMPDIR (or /tmp), removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes `contents` to `name` and returns its path.
  std::string write(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

// Assembles `wat` into DIR/NAME.wasm with wat2wasm (extra flags e.g. --debug-names, --no-check);
// fails the current test (and returns "") when wat2wasm rejects it.
std::string assemble(const ScratchDir& dir, const std::string& name, const std::string& wat,
                     const std::vector<std::string>& flags = {});

std::string read_file(const std::string& path);

}  // namespace wasmio::testing
