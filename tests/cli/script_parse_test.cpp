// Script parsing never throws: broken JSON or commands become reportable errors.
#include <gtest/gtest.h>

#include "script.h"

namespace wasmio::spectest {
namespace {

TEST(ScriptParse, ReadsEveryCommandKind) {
  Script s = parse_script(R"json({"source_filename": "x.wast", "commands": [
    {"type": "module", "line": 1, "name": "$M", "filename": "x.0.wasm"},
    {"type": "register", "line": 2, "name": "$M", "as": "m"},
    {"type": "assert_return", "line": 3, "action": {"type": "invoke", "module": "$M",
      "field": "f", "args": [{"type": "i32", "value": "7"}, {"type": "externref", "value": "1"}]},
      "expected": [{"type": "f32", "value": "nan:canonical"}]},
    {"type": "assert_return", "line": 4, "action": {"type": "get", "field": "g"},
      "expected": [{"type": "i64", "value": "1"}]},
    {"type": "action", "line": 5, "action": {"type": "invoke", "field": "f", "args": []},
      "expected": [{"type": "i32"}]},
    {"type": "assert_trap", "line": 6, "action": {"type": "invoke", "field": "t", "args": []},
      "text": "unreachable", "expected": []},
    {"type": "assert_exhaustion", "line": 7, "action": {"type": "invoke", "field": "r", "args": []},
      "text": "call stack exhausted", "expected": []},
    {"type": "assert_invalid", "line": 8, "filename": "x.1.wasm", "text": "type mismatch", "module_type": "binary"},
    {"type": "assert_malformed", "line": 9, "filename": "x.2.wat", "text": "unknown operator", "module_type": "text"},
    {"type": "assert_unlinkable", "line": 10, "filename": "x.3.wasm", "text": "unknown import", "module_type": "binary"},
    {"type": "assert_uninstantiable", "line": 11, "filename": "x.4.wasm", "text": "unreachable", "module_type": "binary"}
  ]})json",
                          "x.json");
  ASSERT_EQ(s.error, "");
  ASSERT_EQ(s.commands.size(), 11u);
  for (const Command& c : s.commands) EXPECT_EQ(c.parse_error, "") << c.line;
  EXPECT_EQ(s.commands[0].kind, CommandKind::kModule);
  EXPECT_EQ(s.commands[0].name, "$M");
  EXPECT_EQ(s.commands[1].as, "m");
  const Command& r = s.commands[2];
  EXPECT_EQ(r.kind, CommandKind::kAssertReturn);
  EXPECT_EQ(r.action.module, "$M");
  ASSERT_EQ(r.action.args.size(), 2u);
  EXPECT_EQ(r.action.args[1].bits, 2u);  // ref.extern 1
  EXPECT_EQ(r.expected.at(0).pattern, SpecValue::Pattern::kCanonicalNan);
  EXPECT_EQ(s.commands[3].action.type, Action::Type::kGet);
  EXPECT_EQ(s.commands[4].expected.at(0).pattern, SpecValue::Pattern::kTypeOnly);
  EXPECT_EQ(s.commands[5].text, "unreachable");
  EXPECT_EQ(s.commands[6].kind, CommandKind::kAssertExhaustion);
  EXPECT_FALSE(s.commands[7].text_module);
  EXPECT_TRUE(s.commands[8].text_module);
  EXPECT_EQ(s.commands[10].kind, CommandKind::kAssertUninstantiable);
}

TEST(ScriptParse, BrokenFilesAreErrorsNotCrashes) {
  EXPECT_NE(parse_script("", "a").error, "");
  EXPECT_NE(parse_script("{\"commands\": [", "a").error, "");
  EXPECT_NE(parse_script("[1, 2]", "a").error, "");
  EXPECT_NE(parse_script("{\"commands\": 3}", "a").error, "");
  EXPECT_NE(parse_script(std::string(100000, '['), "a").error, "");
  EXPECT_NE(parse_script(std::string("{\"commands\": [\0]}", 17), "a").error, "");
  EXPECT_EQ(parse_script("{\"commands\": []}", "a").commands.size(), 0u);
}

TEST(ScriptParse, BrokenCommandsKeepTheirLineAndCarryAnError) {
  Script s = parse_script(R"json({"commands": [
    3,
    {"line": 2},
    {"type": "assert_frobnicate", "line": 3},
    {"type": "module", "line": 4},
    {"type": "module", "line": 5, "filename": "../../etc/passwd"},
    {"type": "assert_return", "line": 6, "action": {"type": "invoke", "field": "f", "args": []},
      "expected": [{"type": "i32"}]},
    {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "f",
      "args": [{"type": "f32", "value": "nan:canonical"}]}, "expected": []},
    {"type": "assert_return", "line": 8, "action": {"type": "call", "field": "f"}, "expected": []},
    {"type": "assert_return", "line": 9, "action": {"type": "invoke", "field": 5}, "expected": []},
    {"type": "assert_return", "line": 10, "action": {"type": "invoke", "field": "f", "args": []},
      "expected": [{"type": "i32", "value": 5}]},
    {"type": "assert_trap", "line": 11, "action": {"type": "invoke", "field": "f", "args": []}},
    {"type": "assert_return", "line": 12, "action": {"type": "invoke", "field": "f", "args": []},
      "expected": [{"type": "v128", "lane_type": "i32", "value": ["1", "2", "3", "4"]}]},
    {"type": "assert_invalid", "line": 13, "filename": "a.wasm", "text": "x", "module_type": "elf"}
  ]})json",
                          "b.json");
  ASSERT_EQ(s.error, "");
  ASSERT_EQ(s.commands.size(), 13u);
  for (std::size_t i = 0; i < s.commands.size(); ++i) {
    EXPECT_NE(s.commands[i].parse_error, "") << "command " << i;
  }
  EXPECT_EQ(s.commands[2].kind, CommandKind::kUnknown);
  EXPECT_EQ(s.commands[2].line, 3);
  EXPECT_EQ(s.commands[12].line, 13);
}

}  // namespace
}  // namespace wasmio::spectest
