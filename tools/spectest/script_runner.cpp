#include "script_runner.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "spectest_module.h"

namespace wasmio::spectest {
namespace {

std::string describe_error(const Error& e) {
  std::string s = fmt::format("{}: {}", phase_name(e.phase()), e.message());
  if (e.phase() == Phase::kDecode || e.phase() == Phase::kValidate) {
    s += fmt::format(" (at byte 0x{:x})", e.offset);
  }
  return s;
}

std::string describe_values(const std::vector<Value>& values) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) s += ", ";
    s += describe(values[i]);
  }
  return s + "]";
}

const char* expected_phase_word(CommandKind kind) {
  switch (kind) {
    case CommandKind::kAssertMalformed:
      return "malformed";
    case CommandKind::kAssertInvalid:
      return "invalid";
    default:
      return "unlinkable";
  }
}

}  // namespace

ScriptRunner::ScriptRunner(std::string directory, const RunnerOptions& options)
    : directory_(std::move(directory)),
      options_(options),
      store_(std::make_unique<Store>()),
      execution_(std::make_unique<Execution>(ExecutionConfig{})) {
  auto defined = define_spectest_module(*store_, linker_, SpectestModuleOptions{options.verbose});
  if (!defined) setup_failure_ = describe_error(defined.error());
  if (options.aot) aot_ = std::make_unique<AotLoader>(options.aot_loader);
}

std::string ScriptRunner::attach_native(const Module& module, Instance& instance) {
  std::string error;
  for (bool rebuild : {false, true}) {
    const AotImage* image = aot_->load(module, &error, rebuild);
    if (image == nullptr) return error;
    auto attached = instance.attach_native(*image);
    if (attached) return {};
    error = fmt::format("aot: image refused: {}", attached.error().message());
    if (attached.error().code != ErrorCode::kNativeAbiMismatch) break;  // rebuilding cannot help
  }
  return error;
}

ScriptRunner::~ScriptRunner() = default;

CommandResult ScriptRunner::run(const Command& command) {
  if (!command.parse_error.empty()) {
    return CommandResult::failed("malformed script command", command.parse_error);
  }
  if (!setup_failure_.empty()) {
    return CommandResult::failed("spectest host module could not be created", setup_failure_);
  }
  switch (command.kind) {
    case CommandKind::kModule:
      return run_module(command);
    case CommandKind::kRegister:
      return run_register(command);
    case CommandKind::kAction:
      return run_action(command);
    case CommandKind::kAssertReturn:
      return run_assert_return(command);
    case CommandKind::kAssertTrap:
      if (command.has_action) return run_assert_trap(command);
      return run_assert_uninstantiable(command);
    case CommandKind::kAssertExhaustion:
      return run_assert_trap(command);
    case CommandKind::kAssertInvalid:
    case CommandKind::kAssertMalformed:
    case CommandKind::kAssertUnlinkable:
      return run_assert_rejected(command);
    case CommandKind::kAssertUninstantiable:
      return run_assert_uninstantiable(command);
    case CommandKind::kUnknown:
      break;
  }
  return CommandResult::failed("unknown command", command.type);
}

std::unique_ptr<Module> ScriptRunner::load(const std::string& filename, Error* error,
                                           std::string* io_failure) {
  std::string path = directory_ + "/" + filename;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *io_failure = fmt::format("cannot open {}", path);
    return nullptr;
  }
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) {
    *io_failure = fmt::format("cannot read {}", path);
    return nullptr;
  }
  auto module = Module::load(bytes);  // copies the bytes (LoadOptions default)
  if (!module) {
    *error = module.error();
    return nullptr;
  }
  return std::move(*module);
}

Expected<Instance*> ScriptRunner::instantiate(const Module& module) {
  std::vector<Extern> imports(module.import_count());
  auto resolved =
      linker_.resolve(module, imports.data(), static_cast<std::uint32_t>(imports.size()));
  if (!resolved) return unexpected(resolved.error());
  InstanceOptions options;
  options.execution = execution_.get();
  auto instance = store_->instantiate(module, imports, options);
  // Nothing in the suite suspends (no fuel, no suspending host function): a start function
  // left suspended is an engine fault, and the shared execution must be idle for what follows.
  if (execution_->state() == RunState::kSuspended) {
    execution_->abandon();
    if (instance) return unexpected(ErrorCode::kStartSuspended);
  }
  return instance;
}

const ScriptRunner::ModuleSlot* ScriptRunner::find_module(const std::string& name,
                                                          std::string* failure) const {
  const ModuleSlot* slot = nullptr;
  if (name.empty()) {
    if (!have_current_) {
      *failure = "no module defined before this command";
      return nullptr;
    }
    slot = &current_;
  } else {
    auto it = named_.find(name);
    if (it == named_.end()) {
      *failure = fmt::format("no module named {}", name);
      return nullptr;
    }
    slot = &it->second;
  }
  if (slot->instance == nullptr) {
    *failure = fmt::format("depends on the module of line {}, which failed: {}", slot->line,
                           slot->failure);
    return nullptr;
  }
  return slot;
}

CommandResult ScriptRunner::run_module(const Command& command) {
  if (command.text_module) return CommandResult::skipped("text-format module");
  ModuleSlot slot;
  slot.line = command.line;
  CommandResult result = CommandResult::passed();

  Error error;
  std::string io_failure;
  std::unique_ptr<Module> module = load(command.filename, &error, &io_failure);
  if (!module) {
    slot.failure = io_failure.empty() ? describe_error(error) : io_failure;
    result = io_failure.empty()
                 ? CommandResult::failed(fmt::format("module rejected: {}: {}",
                                                     phase_name(error.phase()), error.message()),
                                         slot.failure)
                 : CommandResult::failed("module file unreadable", io_failure);
  } else {
    const Module& loaded = *module;
    modules_.push_back(std::move(module));
    auto instance = instantiate(loaded);
    if (!instance) {
      slot.failure = describe_error(instance.error());
      result = CommandResult::failed(
          fmt::format("module instantiation failed: {}: {}", phase_name(instance.error().phase()),
                      instance.error().message()),
          slot.failure);
    } else {
      slot.instance = *instance;
      if (aot_ != nullptr) {
        const std::string aot_failure = attach_native(loaded, **instance);
        if (!aot_failure.empty()) {
          slot.instance = nullptr;
          slot.failure = aot_failure;
          result = CommandResult::failed("aot: no native code", aot_failure);
        }
      }
    }
  }
  current_ = slot;
  have_current_ = true;
  if (!command.name.empty()) named_[command.name] = slot;
  return result;
}

CommandResult ScriptRunner::run_register(const Command& command) {
  std::string failure;
  const ModuleSlot* slot = find_module(command.name, &failure);
  if (slot == nullptr) return CommandResult::failed("register: module unavailable", failure);
  linker_.define_instance(command.as, *slot->instance);
  return CommandResult::passed();
}

ScriptRunner::ActionOutcome ScriptRunner::perform(const Action& action) {
  ActionOutcome outcome;
  const ModuleSlot* slot = find_module(action.module, &outcome.failure);
  if (slot == nullptr) return outcome;

  auto found = slot->instance->find_export(action.field);
  if (!found) {
    outcome.failure = fmt::format("export \"{}\" not found", action.field);
    return outcome;
  }
  if (action.type == Action::Type::kGet) {
    if (found->kind != ExternKind::kGlobal || found->global == nullptr) {
      outcome.failure = fmt::format("export \"{}\" is not a global", action.field);
      return outcome;
    }
    outcome.returned = true;
    outcome.results.push_back(Store::global_get(found->global));
    return outcome;
  }
  if (found->kind != ExternKind::kFunction || found->function == nullptr) {
    outcome.failure = fmt::format("export \"{}\" is not a function", action.field);
    return outcome;
  }
  std::vector<Value> args;
  args.reserve(action.args.size());
  for (const SpecValue& a : action.args) args.push_back(to_argument(a));

  auto state = execution_->invoke(found->function, args);
  if (!state) {
    outcome.engine_error = true;
    outcome.error = state.error();
  } else if (*state == RunState::kReturned) {
    auto results = execution_->results();
    outcome.returned = true;
    outcome.results.assign(results.begin(), results.end());
  } else {
    outcome.failure = fmt::format("the call suspended (reason {}) instead of returning",
                                  static_cast<int>(execution_->suspend_reason()));
  }
  // Leave the shared execution idle for the next command whatever happened.
  if (execution_->state() == RunState::kSuspended) execution_->abandon();
  return outcome;
}

CommandResult ScriptRunner::run_action(const Command& command) {
  ActionOutcome outcome = perform(command.action);
  if (!outcome.failure.empty())
    return CommandResult::failed("action not performed", outcome.failure);
  if (outcome.engine_error) {
    return CommandResult::failed(fmt::format("action failed: {}", outcome.error.message()),
                                 describe_error(outcome.error));
  }
  // wast2json gives the result types of a plain action; check them when present.
  if (!command.expected.empty()) {
    bool ok = command.expected.size() == outcome.results.size();
    for (std::size_t i = 0; ok && i < outcome.results.size(); ++i) {
      ok = matches(command.expected[i], outcome.results[i]);
    }
    if (!ok) {
      return CommandResult::failed("action result types differ",
                                   fmt::format("got {}", describe_values(outcome.results)));
    }
  }
  return CommandResult::passed();
}

CommandResult ScriptRunner::run_assert_return(const Command& command) {
  ActionOutcome outcome = perform(command.action);
  if (!outcome.failure.empty())
    return CommandResult::failed("action not performed", outcome.failure);
  if (outcome.engine_error) {
    return CommandResult::failed(
        fmt::format("unexpected {}: {}", phase_name(outcome.error.phase()),
                    outcome.error.message()),
        fmt::format("{} \"{}\"", describe_error(outcome.error), command.action.field));
  }
  if (outcome.results.size() != command.expected.size()) {
    return CommandResult::failed(
        "wrong result count",
        fmt::format("\"{}\": got {} values {}, expected {}", command.action.field,
                    outcome.results.size(), describe_values(outcome.results),
                    command.expected.size()));
  }
  for (std::size_t i = 0; i < outcome.results.size(); ++i) {
    if (!matches(command.expected[i], outcome.results[i])) {
      std::string category = "result mismatch";
      if (command.expected[i].type != outcome.results[i].type) category = "result type mismatch";
      return CommandResult::failed(
          category, fmt::format("\"{}\" result {}: got {}, expected {}", command.action.field, i,
                                describe(outcome.results[i]), describe(command.expected[i])));
    }
  }
  return CommandResult::passed();
}

CommandResult ScriptRunner::run_assert_trap(const Command& command) {
  ActionOutcome outcome = perform(command.action);
  if (!outcome.failure.empty())
    return CommandResult::failed("action not performed", outcome.failure);
  if (outcome.returned) {
    return CommandResult::failed(
        fmt::format("no trap (expected \"{}\")", command.text),
        fmt::format("\"{}\" returned {}", command.action.field, describe_values(outcome.results)));
  }
  const Error& e = outcome.error;
  if (e.phase() != Phase::kExecute) {
    return CommandResult::failed(fmt::format("{} error instead of a trap", phase_name(e.phase())),
                                 describe_error(e));
  }
  if (!texts_match(e.message(), command.text)) {
    return CommandResult::failed(
        fmt::format("wrong trap: expected \"{}\", got \"{}\"", command.text, e.message()),
        fmt::format("\"{}\"", command.action.field));
  }
  return CommandResult::passed();
}

CommandResult ScriptRunner::run_assert_rejected(const Command& command) {
  if (command.text_module) return CommandResult::skipped("text-format module");
  const Phase wanted = command.kind == CommandKind::kAssertMalformed ? Phase::kDecode
                       : command.kind == CommandKind::kAssertInvalid ? Phase::kValidate
                                                                     : Phase::kLink;
  Error error;
  std::string io_failure;
  std::unique_ptr<Module> module = load(command.filename, &error, &io_failure);
  if (!module && !io_failure.empty())
    return CommandResult::failed("module file unreadable", io_failure);
  if (module) {
    if (wanted != Phase::kLink) {
      return CommandResult::failed(fmt::format("{} module accepted (\"{}\")",
                                               expected_phase_word(command.kind), command.text),
                                   command.filename);
    }
    const Module& loaded = *module;
    modules_.push_back(std::move(module));
    auto instance = instantiate(loaded);
    if (instance) {
      return CommandResult::failed(fmt::format("unlinkable module linked (\"{}\")", command.text),
                                   command.filename);
    }
    error = instance.error();
  }
  if (error.phase() != wanted) {
    return CommandResult::failed(fmt::format("{} module rejected in phase {}, expected {}",
                                             expected_phase_word(command.kind),
                                             phase_name(error.phase()), phase_name(wanted)),
                                 fmt::format("{}: {}; expected \"{}\"", command.filename,
                                             describe_error(error), command.text));
  }
  CommandResult result = CommandResult::passed();
  result.text_compared = true;
  result.text_matched = texts_match(error.message(), command.text);
  if (!result.text_matched) {
    result.detail = fmt::format("{}: expected \"{}\", got \"{}\"", command.filename, command.text,
                                error.message());
  }
  return result;
}

CommandResult ScriptRunner::run_assert_uninstantiable(const Command& command) {
  if (command.text_module) return CommandResult::skipped("text-format module");
  Error error;
  std::string io_failure;
  std::unique_ptr<Module> module = load(command.filename, &error, &io_failure);
  if (!module) {
    if (!io_failure.empty()) return CommandResult::failed("module file unreadable", io_failure);
    return CommandResult::failed(fmt::format("uninstantiable module rejected: {}: {}",
                                             phase_name(error.phase()), error.message()),
                                 describe_error(error));
  }
  const Module& loaded = *module;
  modules_.push_back(std::move(module));
  auto instance = instantiate(loaded);
  if (instance) {
    return CommandResult::failed(
        fmt::format("uninstantiable module instantiated (\"{}\")", command.text), command.filename);
  }
  const Error& e = instance.error();
  if (e.phase() != Phase::kInstantiate && e.phase() != Phase::kExecute) {
    return CommandResult::failed(
        fmt::format("uninstantiable module failed in phase {}", phase_name(e.phase())),
        describe_error(e));
  }
  if (!texts_match(e.message(), command.text)) {
    return CommandResult::failed(
        fmt::format("wrong instantiation error: expected \"{}\", got \"{}\"", command.text,
                    e.message()),
        command.filename);
  }
  return CommandResult::passed();
}

}  // namespace wasmio::spectest
