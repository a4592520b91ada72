// Internal: what AOT-generated code (aot/emit.cpp's output) sees of the engine.
//
// Generated code is one C++ function per defined Wasm function, `int f(void* cx, u64* fp,
// u32 depth)`: it reads its parameters from the value stack at `fp` (the interpreter's frame
// layout), keeps every frame slot in a C++ local, and writes its results back to fp[0..]. The
// return value is a Status. Cold paths (traps, safe point deadlines, calls that are not direct,
// accesses outside linear memory that the hot raw aperture does not serve, table and bulk
// operations) go through the Runtime table of function pointers, so a generated shared object
// needs no symbol of the executable that loads it.
//
// When a native frame stops (trap or suspension) it records itself in the Execution exactly as
// the interpreter would have: the innermost frame sets ex.pc/fp/function/frame_count, every
// caller on the way out writes its FrameRecord (return pc = the lowered pc after its call) and,
// for a suspension, stores its live slots to the value stack. The interpreter then builds the
// backtrace, or resumes the run, from that state (docs/design/0015).
#pragma once

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "exec/execution.h"
#include "exec/interpreter_numeric.h"
#include "exec/runtime.h"
#include "lower/lowered_code.h"
#include "wasmio/engine.h"

namespace wasmio::detail::aot {

// Bumped whenever generated code or the Runtime table changes meaning.
inline constexpr std::uint32_t kAbiVersion = 1;

// The sizes of the objects generated code reads inline: a layout change the version bump
// forgot still refuses old images.
inline constexpr std::uint64_t kLayout =
    (static_cast<std::uint64_t>(sizeof(Instance::Impl)) << 0) ^
    (static_cast<std::uint64_t>(sizeof(MemoryInstance)) << 10) ^
    (static_cast<std::uint64_t>(sizeof(FunctionInstance)) << 20) ^
    (static_cast<std::uint64_t>(sizeof(TableInstance)) << 30) ^
    (static_cast<std::uint64_t>(sizeof(GlobalInstance)) << 38) ^
    (static_cast<std::uint64_t>(sizeof(ApertureCache)) << 46) ^
    (static_cast<std::uint64_t>(sizeof(Execution::Impl)) << 52) ^
    (static_cast<std::uint64_t>(sizeof(void*)) << 62);

enum Status : int {
  kOk = 0,
  kTrap = 1,         // recorded in the Execution
  kSuspend = 2,      // recorded; the caller records its frame and spills below its call
  kSuspendHere = 3,  // a host call of this frame suspended: spill every slot, no record
};

struct Runtime;

// One native run of one instance (a call into another instance gets its own).
struct Context {
  Execution::Impl* ex;
  Instance* instance;
  Instance::Impl* inst;
  const LoweredModule* lowered;
  const Runtime* rt;
  const std::uint64_t* stack_end;
  std::uint32_t max_frames;
  std::uintptr_t native_floor;  // frames below this address trap (native stack budget)
  FuelWord counter;             // valid whenever generated code calls out
};

struct Runtime {
  // Records a trap of function `fn` (lowered index) at lowered pc `pc`; returns kTrap.
  int (*trap)(Context& cx, std::uint32_t fn, std::uint32_t pc, std::uint64_t* fp,
              std::uint32_t depth, ErrorCode code);
  // The deadline was reached at a safe point: 0 continue, kTrap (recorded at report_pc),
  // kSuspend (recorded, resuming at resume_pc; the caller then spills every slot).
  int (*safe_point)(Context& cx, std::uint32_t fn, std::uint32_t resume_pc, std::uint32_t report_pc,
                    std::uint64_t* fp, std::uint32_t depth);
  // A callee stopped: writes this frame's record (frames[depth + 1]).
  void (*unwind)(Context& cx, std::uint32_t fn, std::uint32_t return_pc, std::uint64_t* fp,
                 std::uint32_t depth);
  // `call` to an import or call_indirect target that is not a native function of this
  // instance: host, native in another instance, or interpreted. Arguments are at fp[argbase].
  int (*call)(Context& cx, FunctionInstance* callee, std::uint32_t fn, std::uint32_t call_pc,
              std::uint64_t* fp, std::uint32_t argbase, std::uint32_t depth);
  // Accesses outside linear memory not served inline (exec/device_access.h).
  bool (*load)(MemoryInstance* memory, std::uint64_t address, unsigned bytes, std::uint64_t* value,
               ErrorCode* trap);
  bool (*store)(MemoryInstance* memory, std::uint64_t address, unsigned bytes, std::uint64_t value,
                ErrorCode* trap);
  std::int64_t (*memory_grow)(MemoryInstance* memory, std::uint64_t delta);
  // Bulk and table operations: kUnreachable (never a trap code of theirs) means success.
  ErrorCode (*memory_init)(Instance::Impl* inst, std::uint32_t segment, std::uint64_t dst,
                           std::uint64_t src, std::uint64_t count);
  void (*data_drop)(Instance::Impl* inst, std::uint32_t segment);
  ErrorCode (*table_op)(Instance::Impl* inst, int op, std::uint32_t a, std::uint32_t b,
                        std::uint64_t x, std::uint64_t y, std::uint64_t z, std::uint64_t* result);
};

// Table operations by number (Runtime::table_op).
enum TableOp : int { kTableGet, kTableSet, kTableSize, kTableGrow, kTableFill, kTableCopy, kTableInit, kElemDrop };

// The runtime table of this build of the engine.
const Runtime& runtime() noexcept;

// Linear memory 0 and the hot raw aperture, in locals of the generated function.
struct MemView {
  std::uint8_t* base;
  std::uint64_t size;
  MemoryInstance* memory;
  std::uint64_t hot_base;
  volatile std::uint8_t* hot_raw;
  std::uint64_t hot_limit[4];
};

[[gnu::always_inline]] inline void reload_hot(MemView& m) noexcept {
  if (m.memory == nullptr) return;
  const ApertureCache& hot = m.memory->hot;
  m.hot_base = hot.base;
  m.hot_raw = hot.raw;
  for (int i = 0; i < 4; ++i) m.hot_limit[i] = hot.limit[i];
}

[[gnu::always_inline]] inline void reload(MemView& m, const Instance::Impl* inst) noexcept {
  m.memory = inst->memory0;
  m.base = m.memory != nullptr ? m.memory->data : nullptr;
  m.size = m.memory != nullptr ? m.memory->size : 0;
  m.hot_base = 0;
  m.hot_raw = nullptr;
  for (int i = 0; i < 4; ++i) m.hot_limit[i] = 0;
  reload_hot(m);
}

template <typename T>
inline constexpr unsigned kWidth = sizeof(T) == 1 ? 0 : sizeof(T) == 2 ? 1 : sizeof(T) == 4 ? 2 : 3;

// A load of T at `address`: linear memory, then the hot raw aperture inline, then the engine's
// slow path (which may make another aperture the hot one: reloaded). False sets *trap.
template <typename T>
[[gnu::always_inline]] inline bool load(MemView& m, const Context& cx, std::uint64_t address, T* out,
                                        ErrorCode* trap) noexcept {
  if (address + sizeof(T) <= m.size) [[likely]] {
    std::memcpy(out, m.base + address, sizeof(T));
    return true;
  }
  const std::uint64_t offset = address - m.hot_base;
  if (offset < m.hot_limit[kWidth<T>] && (offset & (sizeof(T) - 1)) == 0) {
    *out = *reinterpret_cast<const volatile T*>(m.hot_raw + offset);
    return true;
  }
  std::uint64_t raw = 0;
  if (m.memory == nullptr || !cx.rt->load(m.memory, address, sizeof(T), &raw, trap)) {
    if (m.memory == nullptr) *trap = ErrorCode::kOutOfBoundsMemoryAccess;
    return false;
  }
  reload_hot(m);
  T v;
  std::memcpy(&v, &raw, sizeof(T));  // little-endian: the low bytes
  *out = v;
  return true;
}

template <typename T>
[[gnu::always_inline]] inline bool store(MemView& m, const Context& cx, std::uint64_t address, T v,
                                         ErrorCode* trap) noexcept {
  if (address + sizeof(T) <= m.size) [[likely]] {
    std::memcpy(m.base + address, &v, sizeof(T));
    return true;
  }
  const std::uint64_t offset = address - m.hot_base;
  if (offset < m.hot_limit[kWidth<T>] && (offset & (sizeof(T) - 1)) == 0) {
    *reinterpret_cast<volatile T*>(m.hot_raw + offset) = v;
    return true;
  }
  if (m.memory == nullptr || !cx.rt->store(m.memory, address, sizeof(T), v, trap)) {
    if (m.memory == nullptr) *trap = ErrorCode::kOutOfBoundsMemoryAccess;
    return false;
  }
  reload_hot(m);
  return true;
}


// The address of the current native frame, for the stack budget check.
[[gnu::always_inline]] inline std::uintptr_t frame_address() noexcept {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

}  // namespace wasmio::detail::aot
