// libFuzzer target: decode + validate + lower + instantiate arbitrary bytes. Any crash, hang,
// sanitizer report or unbounded allocation is a bug; rejection with an error is the normal case.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wasmio/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto module = wasmio::Module::load(std::span<const std::uint8_t>(data, size));
  if (!module) return 0;

  // Satisfy nothing: modules with imports stop at linking, which is itself exercised by
  // instantiate's import count check. Modules without imports are instantiated with small
  // limits and a bounded start function.
  if ((*module)->import_count() != 0) return 0;
  wasmio::Store store;
  wasmio::ExecutionConfig config;
  config.stack_slots = 16 * 1024;
  config.max_frames = 512;
  wasmio::Execution execution(config);
  execution.set_fuel(100000);
  wasmio::InstanceOptions options;
  options.limits.max_memory_pages = 256;
  options.limits.max_table_elements = 1 << 16;
  options.execution = &execution;
  auto instance = store.instantiate(**module, {}, options);
  (void)instance;
  return 0;
}
