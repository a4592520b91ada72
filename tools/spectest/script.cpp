#include "script.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace wasmio::spectest {
namespace {

using nlohmann::json;

struct KindName {
  CommandKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {
    {CommandKind::kModule, "module"},
    {CommandKind::kRegister, "register"},
    {CommandKind::kAction, "action"},
    {CommandKind::kAssertReturn, "assert_return"},
    {CommandKind::kAssertTrap, "assert_trap"},
    {CommandKind::kAssertExhaustion, "assert_exhaustion"},
    {CommandKind::kAssertInvalid, "assert_invalid"},
    {CommandKind::kAssertMalformed, "assert_malformed"},
    {CommandKind::kAssertUnlinkable, "assert_unlinkable"},
    {CommandKind::kAssertUninstantiable, "assert_uninstantiable"},
};

CommandKind kind_of(std::string_view type) {
  for (const auto& k : kKinds) {
    if (type == k.name) return k.kind;
  }
  return CommandKind::kUnknown;
}

// Typed field access that reports instead of throwing.
bool get_string(const json& object, const char* key, std::string* out, std::string* error,
                bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required && error->empty()) *error = fmt::format("missing \"{}\"", key);
    return false;
  }
  if (!it->is_string()) {
    if (error->empty()) *error = fmt::format("\"{}\" is not a string", key);
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool parse_values(const json& object, const char* key, std::vector<SpecValue>* out,
                  std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) return false;
  if (!it->is_array()) {
    if (error->empty()) *error = fmt::format("\"{}\" is not an array", key);
    return false;
  }
  for (const json& item : *it) {
    std::string type, value, why;
    if (!item.is_object() || !get_string(item, "type", &type, &why, true)) {
      if (error->empty()) *error = fmt::format("bad entry in \"{}\": {}", key, why);
      return false;
    }
    bool has_value = false;
    auto v = item.find("value");
    if (v != item.end()) {
      if (!v->is_string()) {
        // v128 values are arrays of lanes; parse_spec_value rejects them by type below.
        if (type != "v128") {
          if (error->empty()) *error = fmt::format("\"{}\": value is not a string", key);
          return false;
        }
      } else {
        value = v->get<std::string>();
      }
      has_value = true;
    }
    auto parsed = parse_spec_value(type, has_value, value, &why);
    if (!parsed) {
      if (error->empty()) *error = why;
      return false;
    }
    out->push_back(*parsed);
  }
  return true;
}

void parse_action(const json& object, Command* command) {
  std::string* error = &command->parse_error;
  auto it = object.find("action");
  if (it == object.end() || !it->is_object()) {
    if (error->empty()) *error = "missing \"action\" object";
    return;
  }
  command->has_action = true;
  std::string type;
  get_string(*it, "type", &type, error, true);
  if (type == "invoke") {
    command->action.type = Action::Type::kInvoke;
  } else if (type == "get") {
    command->action.type = Action::Type::kGet;
  } else if (error->empty()) {
    *error = fmt::format("unknown action type '{}'", type);
  }
  get_string(*it, "module", &command->action.module, error, false);
  get_string(*it, "field", &command->action.field, error, true);
  parse_values(*it, "args", &command->action.args, error);
  if (command->action.type == Action::Type::kInvoke) {
    for (const SpecValue& a : command->action.args) {
      if (a.pattern != SpecValue::Pattern::kExact && error->empty()) {
        *error = "an argument must be a concrete value";
      }
    }
  }
}

Command parse_command(const json& object) {
  Command c;
  if (!object.is_object()) {
    c.parse_error = "command is not a JSON object";
    return c;
  }
  auto line = object.find("line");
  if (line != object.end() && line->is_number_integer()) {
    c.line = static_cast<int>(line->get<std::int64_t>());
  }
  if (!get_string(object, "type", &c.type, &c.parse_error, true)) return c;
  c.kind = kind_of(c.type);

  std::string module_type;
  switch (c.kind) {
    case CommandKind::kModule:
      get_string(object, "name", &c.name, &c.parse_error, false);
      get_string(object, "filename", &c.filename, &c.parse_error, true);
      get_string(object, "module_type", &module_type, &c.parse_error, false);
      break;
    case CommandKind::kRegister:
      get_string(object, "name", &c.name, &c.parse_error, false);
      get_string(object, "as", &c.as, &c.parse_error, true);
      break;
    case CommandKind::kAction:
    case CommandKind::kAssertReturn:
    case CommandKind::kAssertExhaustion:
      parse_action(object, &c);
      parse_values(object, "expected", &c.expected, &c.parse_error);
      get_string(object, "text", &c.text, &c.parse_error, c.kind == CommandKind::kAssertExhaustion);
      if (c.kind == CommandKind::kAssertReturn) {
        // An assertion without a value to compare could never fail.
        for (const SpecValue& e : c.expected) {
          if (e.pattern == SpecValue::Pattern::kTypeOnly && c.parse_error.empty()) {
            c.parse_error = "assert_return: expected number without a value";
          }
        }
      }
      break;
    case CommandKind::kAssertTrap:
      // wast2json writes a trapping module instantiation as assert_uninstantiable, but an
      // assert_trap on a module is valid script syntax too.
      if (object.contains("filename")) {
        get_string(object, "filename", &c.filename, &c.parse_error, true);
        get_string(object, "module_type", &module_type, &c.parse_error, false);
      } else {
        parse_action(object, &c);
        parse_values(object, "expected", &c.expected, &c.parse_error);
      }
      get_string(object, "text", &c.text, &c.parse_error, true);
      break;
    case CommandKind::kAssertInvalid:
    case CommandKind::kAssertMalformed:
    case CommandKind::kAssertUnlinkable:
    case CommandKind::kAssertUninstantiable:
      get_string(object, "filename", &c.filename, &c.parse_error, true);
      get_string(object, "text", &c.text, &c.parse_error, true);
      get_string(object, "module_type", &module_type, &c.parse_error, false);
      break;
    case CommandKind::kUnknown:
      c.parse_error = fmt::format("unknown command type '{}'", c.type);
      break;
  }
  c.text_module = module_type == "text";
  if (!module_type.empty() && module_type != "text" && module_type != "binary" &&
      c.parse_error.empty()) {
    c.parse_error = fmt::format("unknown module_type '{}'", module_type);
  }
  // A module file name is joined to the script's folder: it must stay inside it.
  if (!c.filename.empty() &&
      (c.filename.find('/') != std::string::npos || c.filename == ".." || c.filename == ".") &&
      c.parse_error.empty()) {
    c.parse_error = fmt::format("module file name '{}' is not a plain file name", c.filename);
  }
  return c;
}

}  // namespace

const char* command_kind_name(CommandKind kind) noexcept {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

Script parse_script(std::string_view json_text, std::string name) {
  Script script;
  script.name = std::move(name);
  json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    script.error = "not valid JSON";
    return script;
  }
  if (!document.is_object()) {
    script.error = "top level is not a JSON object";
    return script;
  }
  auto commands = document.find("commands");
  if (commands == document.end() || !commands->is_array()) {
    script.error = "no \"commands\" array";
    return script;
  }
  script.commands.reserve(commands->size());
  for (const json& c : *commands) script.commands.push_back(parse_command(c));
  return script;
}

}  // namespace wasmio::spectest
