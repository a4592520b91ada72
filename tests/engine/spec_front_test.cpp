// The front end against the official spec suite (converted by wast2json into WASMIO_SPEC_DIR):
// every binary assert_malformed must fail in decode, every assert_invalid must decode and fail
// in validation, every module command (and every module of assert_unlinkable and
// assert_uninstantiable) must load through validation. Non-SIMD files only.
// The error texts are compared with the suite's, both literally and by the spec
// interpreter's rule (the expected text is a prefix of the actual one; the reference
// interpreter also appends indices, e.g. "unknown global 1", which we count when our text is
// the expected one without its trailing index).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wasmio/engine.h"

namespace {

namespace fs = std::filesystem;
using wasmio::LoadOptions;
using wasmio::LoadStage;
using wasmio::Module;
using wasmio::Phase;

struct Case {
  std::string where;  // file.json:line
  std::string file;   // the module binary
  std::string text;   // expected error text (empty for module commands)
};

struct Suite {
  std::vector<Case> malformed, invalid, modules;
};

Suite collect(const fs::path& dir) {
  Suite s;
  std::vector<fs::path> jsons;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& p = entry.path();
    if (p.extension() == ".json" && p.filename().string().rfind("simd", 0) != 0) jsons.push_back(p);
  }
  std::sort(jsons.begin(), jsons.end());
  for (const fs::path& p : jsons) {
    std::ifstream in(p);
    const nlohmann::json doc = nlohmann::json::parse(in);
    for (const auto& cmd : doc.at("commands")) {
      const std::string type = cmd.at("type");
      const std::string where = p.filename().string() + ":" + std::to_string(cmd.value("line", 0));
      // Modules that fail only later (linking, instantiation) must still decode and validate.
      if (type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable") {
        s.modules.push_back({where, (dir / cmd.at("filename").get<std::string>()).string(), ""});
      } else if (type == "assert_malformed" && cmd.value("module_type", "") == "binary") {
        s.malformed.push_back({where, (dir / cmd.at("filename").get<std::string>()).string(),
                               cmd.at("text")});
      } else if (type == "assert_invalid" && cmd.value("module_type", "binary") == "binary") {
        s.invalid.push_back({where, (dir / cmd.at("filename").get<std::string>()).string(),
                             cmd.at("text")});
      }
    }
  }
  return s;
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), {});
}

bool spec_text_matches(const std::string& expected, const std::string& actual) {
  if (actual.rfind(expected, 0) == 0) return true;  // expected is a prefix of ours
  // The reference interpreter appends " <index>" to some texts.
  if (expected.rfind(actual, 0) == 0 && expected.size() > actual.size() + 1 &&
      expected[actual.size()] == ' ') {
    return expected.find_first_not_of("0123456789", actual.size() + 1) == std::string::npos;
  }
  return false;
}

const Suite* suite() {
  static const Suite* s = [] {
    const char* dir = std::getenv("WASMIO_SPEC_DIR");
    return dir == nullptr ? nullptr : new Suite(collect(dir));
  }();
  return s;
}

struct Tally {
  int total = 0, rejected_in_phase = 0, exact = 0, spec_rule = 0;
  std::vector<std::string> text_differences;
};

Tally run_rejections(const std::vector<Case>& cases, Phase phase) {
  Tally t;
  for (const Case& c : cases) {
    ++t.total;
    const std::vector<std::uint8_t> bytes = read_file(c.file);
    LoadOptions options;
    options.stage = LoadStage::kValidate;
    auto loaded = Module::load(bytes, options);
    if (loaded) {
      ADD_FAILURE() << c.where << ": loaded, expected \"" << c.text << "\"";
      continue;
    }
    const std::string actual = loaded.error().message();
    if (loaded.error().phase() != phase) {
      ADD_FAILURE() << c.where << ": failed in phase " << wasmio::phase_name(loaded.error().phase())
                    << " with \"" << actual << "\", expected \"" << c.text << "\"";
      continue;
    }
    ++t.rejected_in_phase;
    if (actual == c.text) ++t.exact;
    if (spec_text_matches(c.text, actual)) {
      ++t.spec_rule;
    } else {
      t.text_differences.push_back(c.where + ": expected \"" + c.text + "\", got \"" + actual + "\"");
    }
  }
  return t;
}

void report(const char* what, const Tally& t) {
  std::cout << what << ": " << t.rejected_in_phase << "/" << t.total << " rejected in the right phase, "
            << t.exact << " texts equal, " << t.spec_rule << " equal by the spec interpreter's rule\n";
  for (const std::string& d : t.text_differences) std::cout << "  text: " << d << "\n";
}

TEST(SpecFront, MalformedBinariesFailInDecode) {
  if (suite() == nullptr) GTEST_SKIP() << "WASMIO_SPEC_DIR not set";
  ASSERT_FALSE(suite()->malformed.empty());
  const Tally t = run_rejections(suite()->malformed, Phase::kDecode);
  report("assert_malformed (binary)", t);
  EXPECT_EQ(t.rejected_in_phase, t.total);
}

TEST(SpecFront, InvalidModulesFailInValidation) {
  if (suite() == nullptr) GTEST_SKIP() << "WASMIO_SPEC_DIR not set";
  ASSERT_FALSE(suite()->invalid.empty());
  const Tally t = run_rejections(suite()->invalid, Phase::kValidate);
  report("assert_invalid", t);
  EXPECT_EQ(t.rejected_in_phase, t.total);
}

TEST(SpecFront, ValidModulesLoad) {
  if (suite() == nullptr) GTEST_SKIP() << "WASMIO_SPEC_DIR not set";
  ASSERT_FALSE(suite()->modules.empty());
  int loaded_count = 0;
  for (const Case& c : suite()->modules) {
    const std::vector<std::uint8_t> bytes = read_file(c.file);
    LoadOptions options;
    options.stage = LoadStage::kValidate;
    auto loaded = Module::load(bytes, options);
    if (!loaded) {
      ADD_FAILURE() << c.where << ": " << loaded.error().message() << " at byte "
                    << loaded.error().offset;
      continue;
    }
    ++loaded_count;
  }
  std::cout << "module, assert_unlinkable, assert_uninstantiable: " << loaded_count << "/" << suite()->modules.size()
            << " load with stage kValidate\n";
  EXPECT_EQ(loaded_count, static_cast<int>(suite()->modules.size()));
}

}  // namespace
