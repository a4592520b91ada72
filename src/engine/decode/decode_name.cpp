// The `name` custom section (spec appendix 7.4): module name (subsection 0) and function names
// (subsection 1). Other subsections are skipped. Parsed leniently: any malformation discards
// what this section would have set, and the module stays valid.
#include "decode/sections.h"

namespace wasmio::detail {
namespace {

constexpr std::uint8_t kModuleNameSubsection = 0;
constexpr std::uint8_t kFunctionNamesSubsection = 1;

bool parse_names(ByteReader& r, std::string_view& module_name, Vec<NameEntry>& function_names) {
  int last_id = -1;
  while (!r.at_end()) {
    auto id = r.u8();
    if (!id) return false;
    auto size = r.u32();
    if (!size || *size > r.remaining()) return false;
    // Subsections appear at most once, in increasing order of id.
    if (static_cast<int>(*id) <= last_id) return false;
    last_id = *id;
    ByteReader sub = r.nested(r.pos(), r.pos() + *size);
    r.skip_to(r.pos() + *size);
    if (*id == kModuleNameSubsection) {
      auto name = sub.name();
      if (!name || !sub.at_end()) return false;
      module_name = *name;
    } else if (*id == kFunctionNamesSubsection) {
      auto count = sub.count(2);
      if (!count) return false;
      function_names.reserve(*count);
      for (std::uint32_t i = 0; i < *count; ++i) {
        auto index = sub.u32();
        if (!index) return false;
        auto name = sub.name();
        if (!name) return false;
        // The name map is sorted by index without duplicates; lookups rely on it.
        if (!function_names.empty() && function_names.back().index >= *index) return false;
        function_names.push_back(NameEntry{*index, *name});
      }
      if (!sub.at_end()) return false;
    }
  }
  return true;
}

}  // namespace

void decode_name_section(Module::Impl& m, std::span<const std::uint8_t> payload) {
  // Read the payload in place: its offsets are offsets in the module binary.
  const auto begin = static_cast<std::uint32_t>(payload.data() - m.bytes.data());
  ByteReader r = ByteReader(m.bytes).nested(begin, begin + static_cast<std::uint32_t>(payload.size()));
  std::string_view module_name;
  Vec<NameEntry> function_names;
  if (!parse_names(r, module_name, function_names)) return;
  m.module_name = module_name;
  m.function_names = static_cast<Vec<NameEntry>&&>(function_names);
}

}  // namespace wasmio::detail
