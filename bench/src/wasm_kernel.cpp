#include "wasm_kernel.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "host_mix.h"

namespace wasmio::bench {
namespace {

constexpr ValType kHostMixParams[] = {ValType::kI32, ValType::kI32};
constexpr ValType kHostMixResults[] = {ValType::kI32};

HostStatus host_mix(HostCall& call) {
  call.set_i32(0, bench_host_mix(call.arg_i32(0), call.arg_i32(1)));
  return HostStatus::kReturn;
}

}  // namespace

std::string describe(const Error& error) {
  std::string text = fmt::format("{}: {}", phase_name(error.phase()), error.message());
  if (error.offset != 0) text += fmt::format(" (offset {})", error.offset);
  if (error.index != Error::kNoIndex) text += fmt::format(" (index {})", error.index);
  return text;
}

WasmKernel::WasmKernel(const std::string& path, Clock clock, const AotImage* native) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error_ = fmt::format("cannot read {}", path);
    return;
  }
  bytes_.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());

  Expected<std::unique_ptr<Module>> loaded = Unexpected{};
  load_seconds_ = seconds_of(clock, [&] { loaded = Module::load(bytes_); });
  if (!loaded) {
    error_ = "load: " + describe(loaded.error());
    return;
  }
  module_ = std::move(*loaded);

  store_ = std::make_unique<Store>();
  std::vector<Extern> imports;
  for (std::uint32_t i = 0; i < module_->import_count(); ++i) {
    ImportInfo import = module_->import(i);
    if (import.module == "bench" && import.name == "host_mix" && import.kind == ExternKind::kFunction) {
      FuncType type{kHostMixParams, kHostMixResults};
      imports.push_back(Extern::of(store_->add_host_function(type, host_mix, nullptr, "bench.host_mix")));
    } else {
      error_ = fmt::format("unexpected import {}.{}", import.module, import.name);
      return;
    }
  }

  Expected<Instance*> instance = Unexpected{};
  instantiate_seconds_ = seconds_of(clock, [&] { instance = store_->instantiate(*module_, imports); });
  if (!instance) {
    error_ = "instantiate: " + describe(instance.error());
    return;
  }
  if (native != nullptr) {
    auto attached = (*instance)->attach_native(*native);
    if (!attached) {
      error_ = "aot image refused: " + describe(attached.error());
      return;
    }
  }
  run_ = (*instance)->exported_function("run");
  smoke_ = (*instance)->exported_function("smoke");
  if (run_ == nullptr || smoke_ == nullptr) {
    error_ = "module lacks the exports run and smoke";
    return;
  }
  execution_ = std::make_unique<Execution>();
}

WasmKernel::~WasmKernel() = default;

CallResult WasmKernel::run(std::uint32_t size, std::uint32_t reps) {
  const Value args[] = {Value::i32(size), Value::i32(reps)};
  return call(run_, args);
}

CallResult WasmKernel::smoke() { return call(smoke_, {}); }

CallResult WasmKernel::call(FunctionInstance* function, std::span<const Value> args) {
  CallResult result;
  if (!ok()) {
    result.error = error_;
    return result;
  }
  Expected<RunState> state = execution_->invoke(function, args);
  if (!state) {
    result.error = describe(state.error());  // the phase name says "trap"
    return result;
  }
  if (*state != RunState::kReturned) {
    execution_->abandon();
    result.error = "execution suspended instead of returning";
    return result;
  }
  std::span<const Value> results = execution_->results();
  if (results.size() != 1 || results[0].type != ValType::kI32) {
    result.error = "run did not return one i32";
    return result;
  }
  result.ok = true;
  result.checksum = results[0].of.i32;
  return result;
}

}  // namespace wasmio::bench
