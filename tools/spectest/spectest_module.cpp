#include "spectest_module.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>

namespace wasmio::spectest {
namespace {

struct PrintFunction {
  const char* name;
  std::span<const ValType> params;
};

constexpr ValType kI32[] = {ValType::kI32};
constexpr ValType kI64[] = {ValType::kI64};
constexpr ValType kF32[] = {ValType::kF32};
constexpr ValType kF64[] = {ValType::kF64};
constexpr ValType kI32F32[] = {ValType::kI32, ValType::kF32};
constexpr ValType kF64F64[] = {ValType::kF64, ValType::kF64};

constexpr PrintFunction kPrintFunctions[] = {
    {"print", {}},
    {"print_i32", kI32},
    {"print_i64", kI64},
    {"print_f32", kF32},
    {"print_f64", kF64},
    {"print_i32_f32", kI32F32},
    {"print_f64_f64", kF64F64},
};

// user_data of the print functions: which one, and whether to print at all.
struct PrintContext {
  const PrintFunction* function;
  bool verbose;
};

constexpr std::array<PrintContext, std::size(kPrintFunctions)> make_contexts(bool verbose) {
  std::array<PrintContext, std::size(kPrintFunctions)> contexts{};
  for (std::size_t i = 0; i < contexts.size(); ++i) contexts[i] = {&kPrintFunctions[i], verbose};
  return contexts;
}

HostStatus print_host(HostCall& call) {
  const auto* context = static_cast<const PrintContext*>(call.user_data);
  if (!context->verbose) return HostStatus::kReturn;
  std::string line = fmt::format("spectest.{}(", context->function->name);
  for (unsigned i = 0; i < context->function->params.size(); ++i) {
    if (i != 0) line += ", ";
    switch (context->function->params[i]) {
      case ValType::kI32:
        line += fmt::format("{}", static_cast<std::int32_t>(call.arg_i32(i)));
        break;
      case ValType::kI64:
        line += fmt::format("{}", static_cast<std::int64_t>(call.arg_i64(i)));
        break;
      case ValType::kF32:
        line += fmt::format("{}", call.arg_f32(i));
        break;
      case ValType::kF64:
        line += fmt::format("{}", call.arg_f64(i));
        break;
      default:
        line += "?";
        break;
    }
  }
  line += ")\n";
  std::fputs(line.c_str(), stderr);
  return HostStatus::kReturn;
}

}  // namespace

Expected<void> define_spectest_module(Store& store, Linker& linker,
                                      const SpectestModuleOptions& options) {
  // The contexts must outlive every store: one static table per verbosity.
  static constexpr auto kQuiet = make_contexts(false);
  static constexpr auto kVerbose = make_contexts(true);
  const PrintContext* contexts = options.verbose ? kVerbose.data() : kQuiet.data();

  for (std::size_t i = 0; i < std::size(kPrintFunctions); ++i) {
    const PrintFunction& f = kPrintFunctions[i];
    FunctionInstance* function = store.add_host_function(
        FuncType{f.params, {}}, print_host, const_cast<PrintContext*>(&contexts[i]), f.name);
    if (function == nullptr) return unexpected(ErrorCode::kOutOfHostMemory);
    linker.define("spectest", f.name, Extern::of(function));
  }

  struct GlobalDef {
    const char* name;
    Value value;
  };
  const GlobalDef globals[] = {
      {"global_i32", Value::i32(666)},
      {"global_i64", Value::i64(666)},
      {"global_f32", Value::f32(666.6f)},
      {"global_f64", Value::f64(666.6)},
  };
  for (const GlobalDef& g : globals) {
    auto global = store.add_global(GlobalType{g.value.type, false}, g.value);
    if (!global) return unexpected(global.error());
    linker.define("spectest", g.name, Extern::of(*global));
  }

  auto table = store.add_table(TableType{ValType::kFuncRef, Limits{10, 20, true}});
  if (!table) return unexpected(table.error());
  linker.define("spectest", "table", Extern::of(*table));

  auto memory = store.add_memory(MemoryType{Limits{1, 2, true}});
  if (!memory) return unexpected(memory.error());
  linker.define("spectest", "memory", Extern::of(*memory));
  return {};
}

}  // namespace wasmio::spectest
