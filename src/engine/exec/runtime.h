// Internal: runtime objects (the spec's store), shared by instantiation and the interpreter.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/hook_allocator.h"
#include "module_impl.h"
#include "wasmio/engine.h"

namespace wasmio {

namespace detail {
struct LoweredFunction;  // lower/lowered_code.h

// One raw aperture in the form the interpreter checks inline: an access of 2^k bytes at
// `offset = address - base` is served iff offset < limit[k] and offset is aligned; limit[k] is 0
// for a width the aperture refuses, else the number of start offsets that keep it inside.
struct ApertureCache {
  std::uint64_t base = 0;
  volatile std::uint8_t* raw = nullptr;
  std::uint64_t limit[4] = {0, 0, 0, 0};
};
}  // namespace detail

struct FunctionInstance {
  FuncType type;                 // spans owned by the module (Wasm) or by the store (host)
  std::uint32_t type_id = 0;     // canonical within the store: equal types <=> equal ids
  Instance* instance = nullptr;  // defining instance; nullptr for host functions
  std::uint32_t index = 0;       // function index in the defining module
  const detail::LoweredFunction* code = nullptr;  // nullptr for host functions
  HostFunction host = nullptr;
  void* user_data = nullptr;
  std::string_view debug_name;
  AotFunction native = nullptr;  // AOT code of a defined function (Instance::attach_native)
};

struct MemoryInstance {
  std::uint8_t* data = nullptr;
  std::uint64_t size = 0;       // bytes = pages << type.page_size_log2
  std::uint64_t capacity = 0;   // bytes allocated
  MemoryType type;              // current min = current pages
  std::uint64_t max_pages = 0;  // the effective maximum: type max, capped by instance limits
  // Outside linear memory (exec/device_access.h): the hooks, a copy of the apertures, and the
  // raw aperture that served the last outside access, checked inline by loads and stores.
  OutOfBoundsHandler out_of_bounds;
  detail::Vec<DeviceAperture> apertures;
  detail::ApertureCache hot;

  std::uint64_t pages() const noexcept { return size >> type.page_size_log2; }
  // Grows by `delta` pages; returns the old page count or -1 (as the instruction does).
  std::int64_t grow(std::uint64_t delta) noexcept;
  ~MemoryInstance();
};

struct TableInstance {
  detail::Vec<RefWord> elements;
  TableType type;
  std::uint64_t max_elements = 0;  // the effective maximum

  std::int64_t grow(std::uint64_t delta, RefWord init) noexcept;  // old size or -1
};

struct GlobalInstance {
  std::uint64_t value[2] = {0, 0};  // two words: room for v128
  GlobalType type;
};

// Runtime state of one instance's element segments (evaluated refs; empty once dropped).
struct ElemInstance {
  detail::Vec<RefWord> refs;
};

struct Instance::Impl {
  Store* store = nullptr;
  const Module* module = nullptr;
  detail::Vec<FunctionInstance*> functions;  // function index space
  detail::Vec<TableInstance*> tables;
  detail::Vec<MemoryInstance*> memories;
  detail::Vec<GlobalInstance*> globals;
  detail::Vec<std::uint32_t> type_ids;  // canonical id of each type index (call_indirect)
  detail::Vec<ElemInstance> elems;
  detail::Vec<std::uint8_t> data_dropped;  // 1 once dropped (or applied, for active segments)
  MemoryInstance* memory0 = nullptr;        // cached memories[0] or nullptr
  // The AOT tier's entry (aot/aot_run.h), set by attach_native: through this pointer, an image
  // that never attaches code never links the AOT runtime (flash on the MCU). Returns a RunOutcome.
  int (*run_native)(Execution::Impl& ex, FunctionInstance* function) noexcept = nullptr;
  // The defined functions and globals, one block each (sized once at instantiation, never
  // resized: the pointers above point into them). They live as long as the instance, which the
  // store owns, so the store's own lists hold only host objects, tables and memories.
  detail::Vec<FunctionInstance> defined_functions;
  detail::Vec<GlobalInstance> defined_globals;
};

struct Store::Impl {
  // Everything the store created, destroyed in reverse order with the store (an instance's
  // defined functions and globals are owned by the instance).
  detail::Vec<FunctionInstance*> functions;
  detail::Vec<TableInstance*> tables;
  detail::Vec<MemoryInstance*> memories;
  detail::Vec<GlobalInstance*> globals;
  detail::Vec<Instance*> instances;
  // Types of host functions (their FuncType spans point here) and the canonical type table.
  detail::Vec<detail::Vec<ValType>*> host_type_storage;
  detail::Vec<FuncType> canonical_types;

  // The canonical id of a function type, adding it when new.
  std::uint32_t intern(const FuncType& type);
};

}  // namespace wasmio
