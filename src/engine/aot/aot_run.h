// Internal: Execution::invoke's entry into AOT code (aot/aot_runtime.cpp), reached through
// Instance::Impl::run_native.
#pragma once

#include "exec/execution.h"

namespace wasmio::detail::aot {

// Runs `function` (which has native code) from the registers invoke prepared: frames[0] is the
// entry record, its arguments are at ex.stack[0]. A trap or suspension leaves ex exactly as the
// interpreter would have (so finish() builds the backtrace and resume() interprets the rest).
RunOutcome run_native(Execution::Impl& ex, FunctionInstance* function) noexcept;

}  // namespace wasmio::detail::aot
