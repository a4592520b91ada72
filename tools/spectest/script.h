// A wast2json script (NAME.json) as plain data. Parsing never throws and never aborts: a command
// that cannot be understood keeps its line and carries `parse_error`, so the runner reports it
// as a failure instead of dropping it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spec_value.h"

namespace wasmio::spectest {

enum class CommandKind : std::uint8_t {
  kModule,
  kRegister,
  kAction,
  kAssertReturn,
  kAssertTrap,
  kAssertExhaustion,
  kAssertInvalid,
  kAssertMalformed,
  kAssertUnlinkable,
  kAssertUninstantiable,
  kUnknown,  // a `type` this runner does not know: reported as a failure
};

const char* command_kind_name(CommandKind kind) noexcept;

struct Action {
  enum class Type : std::uint8_t { kInvoke, kGet };
  Type type = Type::kInvoke;
  std::string module;  // "" = the most recent module
  std::string field;
  std::vector<SpecValue> args;
};

struct Command {
  CommandKind kind = CommandKind::kUnknown;
  std::string type;  // as written in the JSON
  int line = 0;
  std::string name;          // module: its $name; register: the module registered ("" = latest)
  std::string as;            // register: the import module name
  std::string filename;      // module file (module, assert_* on modules)
  bool text_module = false;  // module_type "text": a .wat source, not applicable to this engine
  bool has_action = false;
  Action action;
  std::vector<SpecValue> expected;
  std::string text;         // expected trap / error text
  std::string parse_error;  // non-empty: the command is malformed; it fails when run
};

struct Script {
  std::string name;  // file name, e.g. "i32.json"
  std::vector<Command> commands;
  std::string error;  // non-empty: the file itself could not be read or parsed
};

// Parses the JSON text of one script. `name` only labels the result.
Script parse_script(std::string_view json_text, std::string name);

}  // namespace wasmio::spectest
