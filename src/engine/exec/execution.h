// Internal: the state of an Execution (value slots, frame stack, saved registers, fuel word).
//
// Wasm calls never recurse on the C++ stack: every frame lives in `stack` (values) and `frames`
// (return records), both allocated once when the Execution is created, so a suspended call is
// just these arrays plus the saved registers below.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/hook_allocator.h"
#include "exec/runtime.h"
#include "lower/lowered_code.h"
#include "wasmio/engine.h"

namespace wasmio::detail {

// Where a callee returns to. The entry frame has return_pc == nullptr (return to the embedder).
struct FrameRecord {
  const std::uint32_t* return_pc;
  std::uint64_t* fp;
  const LoweredFunction* function;
  Instance* instance;
};

// The fuel/stop word. It must be lock-free everywhere the engine runs, including from an
// interrupt handler on a 32-bit MCU where 64-bit atomics are not: a pointer-sized word is
// (Cortex-M3: 32 bits, 64-bit hosts: 64 bits). Totals beyond the word's range are kept in 64-bit
// counters outside the hot path (the slow path rebases, see Execution::Impl::at_deadline).
using FuelWord = std::uintptr_t;
static_assert(std::atomic<FuelWord>::is_always_lock_free, "the fuel word must be lock-free");
static_assert(std::atomic<std::uint32_t>::is_always_lock_free, "request flags must be lock-free");

inline constexpr std::uint32_t kRequestPreempt = 1;
inline constexpr std::uint32_t kRequestStop = 2;

// What the safe point's slow path decided.
enum class SafePointVerdict : std::uint8_t { kContinue, kSuspendFuel, kSuspendPreempt, kTrapFuel, kTrapStop };

enum class RunOutcome : std::uint8_t { kReturned, kSuspended, kTrapped };

}  // namespace wasmio::detail

namespace wasmio {

struct Execution::Impl {
  Execution* self = nullptr;
  ExecutionConfig config;
  detail::Vec<std::uint64_t> stack;          // config.stack_slots value slots
  detail::Vec<detail::FrameRecord> frames;   // config.max_frames (one per Wasm frame)

  // Registers of the interpreter, saved while suspended (and when a run starts/ends).
  const std::uint32_t* pc = nullptr;
  std::uint64_t* fp = nullptr;
  const detail::LoweredFunction* function = nullptr;
  Instance* instance = nullptr;
  std::uint32_t frame_count = 0;  // records in `frames`

  // Fuel: total consumed = fuel_base + counter. The interpreter keeps `counter` in a register,
  // adds each region's static instruction count at a safe point and takes the slow path when
  // counter >= deadline. Only requesters (and the slow path, re-arming) write `deadline`.
  detail::FuelWord counter = 0;
  std::uint64_t fuel_base = 0;
  std::uint64_t fuel_limit = UINT64_MAX;  // UINT64_MAX: unlimited
  std::atomic<detail::FuelWord> deadline{0};
  std::atomic<std::uint32_t> requests{0};  // kRequestPreempt | kRequestStop

  RunState state = RunState::kIdle;
  SuspendReason reason = SuspendReason::kNone;
  bool running = false;
  FunctionInstance* entry = nullptr;     // the invoked function (result types; direct host calls)
  bool entry_is_host = false;            // invoked a host function directly (retry on resume)

  detail::Vec<Value> results;
  detail::Vec<BacktraceFrame> backtrace;
  ErrorCode trap_code = ErrorCode::kUnreachable;

  std::uint64_t consumed() const noexcept { return fuel_base + counter; }
  // Folds `counter` into fuel_base and stores the next deadline; safe against concurrent
  // requests (a request that races with it leaves deadline == 0).
  void arm_deadline() noexcept;
  // The slow path of a safe point: counter >= deadline. May rebase `counter` (the interpreter's
  // register copy is passed by reference).
  detail::SafePointVerdict at_deadline(detail::FuelWord& counter_register) noexcept;
};

}  // namespace wasmio

namespace wasmio::detail {
// Runs from the registers saved in `ex` until the entry frame returns, a trap or a suspension.
RunOutcome interpret(Execution::Impl& ex) noexcept;
}  // namespace wasmio::detail
