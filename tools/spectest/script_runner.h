// Executes the commands of one script, in order, in this process, against the public engine
// API. One Store, Linker and Execution per script: modules of a script share them (register and
// cross-module imports need that), and the `spectest` host module lives in the same store.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "platform/linux/aot_loader.h"
#include "command_result.h"
#include "script.h"
#include "wasmio/engine.h"

namespace wasmio::spectest {

using platform::linux_host::AotLoader;
using platform::linux_host::AotLoaderOptions;

struct RunnerOptions {
  bool verbose = false;
  // The AOT tier: every instantiated module also runs from native code (aot_loader.h).
  bool aot = false;
  AotLoaderOptions aot_loader;
};

class ScriptRunner {
 public:
  // `directory` holds the script's module files.
  ScriptRunner(std::string directory, const RunnerOptions& options);
  ~ScriptRunner();
  ScriptRunner(const ScriptRunner&) = delete;
  ScriptRunner& operator=(const ScriptRunner&) = delete;

  CommandResult run(const Command& command);

 private:
  // A module command's instance, or why there is none (then dependents fail).
  struct ModuleSlot {
    Instance* instance = nullptr;
    int line = 0;
    std::string failure;
  };
  struct ActionOutcome {
    bool returned = false;  // results are valid
    std::vector<Value> results;
    bool engine_error = false;  // `error` is valid (trap or embedder error)
    Error error;
    std::string failure;  // the action could not even be attempted
  };

  CommandResult run_module(const Command& command);
  // Attaches native code to a new instance (RunnerOptions::aot); empty, or why not.
  std::string attach_native(const Module& module, Instance& instance);
  CommandResult run_register(const Command& command);
  CommandResult run_action(const Command& command);
  CommandResult run_assert_return(const Command& command);
  CommandResult run_assert_trap(const Command& command);
  CommandResult run_assert_rejected(const Command& command);
  CommandResult run_assert_uninstantiable(const Command& command);

  ActionOutcome perform(const Action& action);
  // Reads and loads a module file; on failure returns nullptr and sets `error` (engine) or
  // `io_failure` (file).
  std::unique_ptr<Module> load(const std::string& filename, Error* error, std::string* io_failure);
  Expected<Instance*> instantiate(const Module& module);
  const ModuleSlot* find_module(const std::string& name, std::string* failure) const;

  std::string directory_;
  RunnerOptions options_;
  std::string setup_failure_;  // the spectest module could not be created
  std::unique_ptr<AotLoader> aot_;  // unloads its objects after the store is gone
  // Declaration order is destruction order reversed: the execution goes first, then the store
  // (its instances refer to the modules), then the modules.
  std::vector<std::unique_ptr<Module>> modules_;
  std::unique_ptr<Store> store_;
  Linker linker_;
  std::unique_ptr<Execution> execution_;
  ModuleSlot current_;
  bool have_current_ = false;
  std::map<std::string, ModuleSlot> named_;
};

}  // namespace wasmio::spectest
