// wasmio shrink-memory IN OUT --bytes N: gives a linked module a memory of exactly N bytes, as
// 1-byte pages of the custom-page-sizes proposal (clang-14/wasm-ld cannot emit them), so a
// driver can run in 16 KiB on an MCU instead of one 64 KiB page.
//
// The memory section becomes `flags 0x09, min N, max N, page size 2^0`; every other section is
// copied unchanged. Refused, with the reason, when the result would not behave as the original:
// the memory is imported or missing; a data segment, the stack (the initial value of a mutable
// i32 global: wasm-ld's __stack_pointer) or an exported __heap_base/__data_end lies beyond N;
// or some code runs memory.size/memory.grow, which would count 1-byte pages where the compiler
// assumed 64 KiB ones.
#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "common/leb_writer.h"
#include "decode/instr_reader.h"
#include "module_file.h"
#include "module_impl.h"

namespace wasmio::cli {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The value of a constant expression that is a single i32.const; nullopt otherwise.
std::optional<std::uint32_t> i32_const_value(const Module::Impl& m, detail::ConstExpr expr) {
  detail::ByteReader r = detail::ByteReader(m.bytes).nested(expr.offset, expr.offset + expr.size);
  auto first = detail::read_instr(r);
  if (!first || first->op != detail::Opcode::i32_const) return std::nullopt;
  auto end = detail::read_instr(r);
  if (!end || end->op != detail::Opcode::end || !r.at_end()) return std::nullopt;
  return static_cast<std::uint32_t>(first->bits);
}

// The first reason the module cannot live in `bytes` bytes of 1-byte pages; empty when it can.
// Also fills `summary` with what was checked.
std::string refusal(const Module::Impl& m, std::uint64_t bytes, std::string* summary) {
  if (m.memories.empty()) return "the module has no memory";
  if (m.memories.size() > 1) return "the module has more than one memory";
  if (m.imported_memory_count != 0) return "the memory is imported: its page size is the importer's";

  std::uint64_t data_end = 0;
  for (std::uint32_t i = 0; i < m.data_segments.size(); ++i) {
    const detail::DataSegment& seg = m.data_segments[i];
    if (seg.mode != detail::SegmentMode::kActive) continue;
    const auto offset = i32_const_value(m, seg.offset);
    if (!offset) return fmt::format("data segment {} has a computed offset", i);
    const std::uint64_t end = std::uint64_t{*offset} + seg.init.size;
    if (end > bytes) {
      return fmt::format("data segment {} ends at byte {}, beyond {} bytes", i, end, bytes);
    }
    if (end > data_end) data_end = end;
  }

  std::uint64_t stack_top = 0;
  for (std::uint32_t g = m.imported_global_count; g < m.globals.size(); ++g) {
    const detail::GlobalEntry& global = m.globals[g];
    if (!global.type.mutable_ || global.type.type != ValType::kI32) continue;
    const auto value = i32_const_value(m, global.init);
    if (value && *value > bytes) {
      return fmt::format("mutable global {} (the stack pointer) starts at {}, beyond {} bytes", g,
                         *value, bytes);
    }
    if (value && *value > stack_top) stack_top = *value;
  }
  std::string heap = "not exported";
  for (const detail::ExportEntry& e : m.exports) {
    if (e.kind != ExternKind::kGlobal || (e.name != "__heap_base" && e.name != "__data_end")) {
      continue;
    }
    if (e.index >= m.globals.size() || e.index < m.imported_global_count) continue;
    const auto value = i32_const_value(m, m.globals[e.index].init);
    if (!value) return fmt::format("{} is not a constant", e.name);
    if (*value > bytes) {
      return fmt::format("{} is {}, beyond {} bytes", e.name, *value, bytes);
    }
    if (e.name == "__heap_base") heap = std::to_string(*value);
  }

  for (std::uint32_t b = 0; b < m.bodies.size(); ++b) {
    const detail::FunctionBody& body = m.bodies[b];
    detail::ByteReader r = detail::ByteReader(m.bytes).nested(body.code_offset, body.code_end);
    while (!r.at_end()) {
      auto in = detail::read_instr(r);
      if (!in) return fmt::format("function {} does not decode", b + m.imported_function_count);
      if (in->op == detail::Opcode::memory_size || in->op == detail::Opcode::memory_grow) {
        return fmt::format(
            "function {} uses {} at byte {:#x}: it counts 64 KiB pages, which would become bytes",
            b + m.imported_function_count,
            in->op == detail::Opcode::memory_grow ? "memory.grow" : "memory.size", in->offset);
      }
    }
  }
  *summary = fmt::format("data ends at {}, stack starts at {}, heap base {}", data_end, stack_top,
                         heap);
  return {};
}

// `in` with its memory section replaced by one memory of `bytes` 1-byte pages.
Bytes rewrite(const Bytes& in, std::uint64_t bytes) {
  Bytes section{1, 0x09};  // one memory: has max, has page size
  detail::append_uleb128(section, bytes);
  detail::append_uleb128(section, bytes);
  detail::append_uleb128(section, 0);  // page size 2^0
  Bytes out(in.begin(), in.begin() + 8);
  std::size_t pos = 8;
  while (pos < in.size()) {  // the module is valid: every section header is well-formed
    const std::uint8_t id = in[pos];
    std::size_t p = pos + 1;
    std::uint64_t size = 0;
    for (unsigned shift = 0;; shift += 7) {
      const std::uint8_t b = in[p++];
      size |= std::uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) break;
    }
    const std::size_t end = p + size;
    if (id == 5) {
      out.push_back(5);
      detail::append_uleb128(out, section.size());
      out.insert(out.end(), section.begin(), section.end());
    } else {
      out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(pos),
                 in.begin() + static_cast<std::ptrdiff_t>(end));
    }
    pos = end;
  }
  return out;
}

int shrink(const std::string& in_path, const std::string& out_path, std::uint64_t bytes) {
  if (bytes == 0 || bytes > 0xFFFFFFFFu) {
    fmt::print(stderr, "wasmio: --bytes must be between 1 and 4294967295\n");
    return 2;
  }
  Bytes in;
  if (!read_module_file(in_path, &in)) return 1;
  LoadOptions options;
  options.stage = LoadStage::kValidate;
  auto module = Module::load(in, options);
  if (!module) {
    fmt::print(stderr, "wasmio: {}: {}\n", in_path, describe_load_error(module.error()));
    return 1;
  }
  std::string summary;
  const std::string reason = refusal((*module)->impl(), bytes, &summary);
  if (!reason.empty()) {
    fmt::print(stderr, "wasmio: {}: cannot shrink the memory to {} bytes: {}\n", in_path, bytes,
               reason);
    return 1;
  }
  const Bytes out = rewrite(in, bytes);
  // The result must load as it is meant to: one memory of exactly `bytes` 1-byte pages.
  auto check = Module::load(out, options);
  if (!check || (*check)->impl().memories.size() != 1 ||
      (*check)->impl().memories[0].page_size_log2 != 0 ||
      (*check)->impl().memories[0].limits.min != bytes) {
    fmt::print(stderr, "wasmio: {}: the rewritten module does not load as expected\n", in_path);
    return 1;
  }
  std::ofstream f(out_path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  f.close();
  if (!f) {
    fmt::print(stderr, "wasmio: cannot write {}\n", out_path);
    return 1;
  }
  fmt::print("{}: memory of {} bytes in 1-byte pages ({})\n", out_path, bytes, summary);
  return 0;
}

}  // namespace

void add_shrink_memory_command(CLI::App& app, int* exit_status) {
  struct Args {
    std::string in;
    std::string out;
    std::uint64_t bytes = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "shrink-memory", "give a module's memory exactly N bytes (1-byte pages, custom-page-sizes)");
  cmd->add_option("IN", args->in, "the linked .wasm module")->required();
  cmd->add_option("OUT", args->out, "where to write the result")->required();
  cmd->add_option("--bytes", args->bytes, "the memory's size in bytes (min = max)")->required();
  cmd->callback([args, exit_status] { *exit_status = shrink(args->in, args->out, args->bytes); });
}

}  // namespace wasmio::cli
