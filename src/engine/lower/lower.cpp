// PLACEHOLDER until the lowering stage lands: produces no code.
#include "lower/lower.h"

namespace wasmio::detail {

Expected<void> lower_module(Module::Impl& m) {
  m.lowered = nullptr;
  return {};
}

void destroy_lowered_module(LoweredModule* lowered) noexcept { (void)lowered; }

}  // namespace wasmio::detail
