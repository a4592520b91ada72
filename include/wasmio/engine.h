// The public engine API: load a module, instantiate it in a store, run it in an execution.
//
//   Module    decoded, validated and lowered code; immutable, shareable between instances.
//   Store     owns runtime objects (functions, memories, tables, globals, instances).
//   Instance  a module instantiated in a store.
//   Execution a Wasm call stack owned by the embedder: it can run, suspend at safe points, be
//             resumed later, and be stopped or preempted asynchronously.
//
// Everything not declared under include/wasmio/ is internal.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "wasmio/expected.h"
#include "wasmio/types.h"

namespace wasmio {

// Runtime objects; opaque to the embedder, owned by a Store.
struct FunctionInstance;
struct TableInstance;
struct MemoryInstance;
struct GlobalInstance;

class Module;
class Store;
struct AotImage;
class Instance;
class Execution;

// An external value: what an import is satisfied with and what an export yields.
struct Extern {
  ExternKind kind = ExternKind::kFunction;
  union {
    FunctionInstance* function;
    TableInstance* table;
    MemoryInstance* memory;
    GlobalInstance* global;
    void* object;
  };
  Extern() : object(nullptr) {}
  static Extern of(FunctionInstance* f) { Extern e; e.kind = ExternKind::kFunction; e.function = f; return e; }
  static Extern of(TableInstance* t) { Extern e; e.kind = ExternKind::kTable; e.table = t; return e; }
  static Extern of(MemoryInstance* m) { Extern e; e.kind = ExternKind::kMemory; e.memory = m; return e; }
  static Extern of(GlobalInstance* g) { Extern e; e.kind = ExternKind::kGlobal; e.global = g; return e; }
};

// ---------------------------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------------------------

struct ImportInfo {
  std::string_view module;
  std::string_view name;
  ExternKind kind = ExternKind::kFunction;
  FuncType function;  // kind == kFunction
  TableType table;    // kind == kTable
  MemoryType memory;  // kind == kMemory
  GlobalType global;  // kind == kGlobal
};

struct ExportInfo {
  std::string_view name;
  ExternKind kind = ExternKind::kFunction;
  std::uint32_t index = 0;  // in the module's index space of that kind
};

struct CustomSection {
  std::string_view name;
  std::span<const std::uint8_t> bytes;  // the payload after the name
  std::uint32_t offset = 0;             // of the payload in the module binary
};

enum class LoadStage : std::uint8_t {
  kDecode,    // structure only: enough for inspection, cannot be instantiated
  kValidate,  // decode + validate
  kLower,     // decode + validate + lower: ready to instantiate (the default)
};

struct LoadOptions {
  LoadStage stage = LoadStage::kLower;
  // When false the module refers to the caller's bytes (which must outlive it) instead of a copy:
  // on a microcontroller the binary can stay in flash.
  bool copy_bytes = true;
};

class Module {
 public:
  static Expected<std::unique_ptr<Module>> load(std::span<const std::uint8_t> bytes,
                                                const LoadOptions& options = {});
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  LoadStage stage() const noexcept;
  std::span<const std::uint8_t> bytes() const noexcept;

  std::uint32_t import_count() const noexcept;
  ImportInfo import(std::uint32_t index) const noexcept;
  std::uint32_t export_count() const noexcept;
  ExportInfo export_(std::uint32_t index) const noexcept;
  std::uint32_t custom_section_count() const noexcept;
  CustomSection custom_section(std::uint32_t index) const noexcept;

  // Functions in the module's function index space (imports first).
  std::uint32_t function_count() const noexcept;
  FuncType function_type(std::uint32_t function_index) const noexcept;
  // From the name section; empty when the module has none for that index.
  std::string_view function_name(std::uint32_t function_index) const noexcept;
  std::string_view module_name() const noexcept;

  // Section summary for inspection: id (0 = custom), payload offset and size, in file order.
  struct SectionInfo {
    std::uint8_t id;
    std::uint32_t offset;
    std::uint32_t size;
  };
  std::uint32_t section_count() const noexcept;
  SectionInfo section(std::uint32_t index) const noexcept;

  static void* operator new(std::size_t size);
  static void operator delete(void* pointer, std::size_t size) noexcept;

  // Internal: used by the engine's own stages (which name the type, so it is public).
  struct Impl;
  Impl& impl() const noexcept { return *impl_; }

 private:
  friend class Store;
  friend class Instance;
  explicit Module(Impl* impl) noexcept;
  Impl* impl_;
};

// ---------------------------------------------------------------------------------------------
// Host functions
// ---------------------------------------------------------------------------------------------

// What a host function tells the interpreter after it ran.
enum class HostStatus : std::uint8_t {
  kReturn,   // results are written; continue after the call
  kTrap,     // trap with HostCall::trap (default kHostTrap)
  kSuspend,  // suspend the execution; on resume the host function is called again
};

// Everything a host function sees. Arguments and results share one array of untyped 64-bit
// slots on the Wasm stack (results overwrite arguments), so a host call allocates nothing.
struct HostCall {
  Execution& execution;
  Instance* caller;  // the calling instance, nullptr when invoked directly by the embedder
  void* user_data;
  std::uint64_t* slots;
  ErrorCode trap = ErrorCode::kHostTrap;

  std::uint32_t arg_i32(unsigned i) const noexcept { return static_cast<std::uint32_t>(slots[i]); }
  std::uint64_t arg_i64(unsigned i) const noexcept { return slots[i]; }
  float arg_f32(unsigned i) const noexcept { float f; std::uint32_t b = arg_i32(i); std::memcpy(&f, &b, 4); return f; }
  double arg_f64(unsigned i) const noexcept { double d; std::memcpy(&d, &slots[i], 8); return d; }
  RefWord arg_ref(unsigned i) const noexcept { return static_cast<RefWord>(slots[i]); }
  void set_i32(unsigned i, std::uint32_t v) noexcept { slots[i] = v; }
  void set_i64(unsigned i, std::uint64_t v) noexcept { slots[i] = v; }
  void set_f32(unsigned i, float v) noexcept { std::uint32_t b; std::memcpy(&b, &v, 4); slots[i] = b; }
  void set_f64(unsigned i, double v) noexcept { std::memcpy(&slots[i], &v, 8); }
  void set_ref(unsigned i, RefWord v) noexcept { slots[i] = v; }

  // The caller's memory 0 (empty when there is none): for host functions that take guest
  // pointers. Always bounds-check (offset, length) against it.
  std::span<std::uint8_t> memory() const noexcept;
  HostStatus fail(ErrorCode code) noexcept { trap = code; return HostStatus::kTrap; }
};

using HostFunction = HostStatus (*)(HostCall& call);

// A device aperture: guest addresses [guest_base, guest_base + size) outside linear memory
// whose loads and stores are device accesses of exactly the instruction's width (a register
// window mapped into the guest's address space). An access is accepted only when it lies wholly
// inside the aperture, is aligned to its width and that width is in `widths`; anything else is
// refused (kAccessViolation). An accepted access on a raw aperture is one volatile access at
// raw + (address - guest_base), done by the interpreter itself, no call; on a modelled one
// (raw == nullptr) the aperture's load/store callback performs it and returns false for a device
// fault. Bulk memory operations (memory.copy/fill/init) never reach an aperture.
struct DeviceAperture {
  std::uint64_t guest_base = 0;
  std::uint64_t size = 0;
  std::uint8_t widths = 0;               // allowed access sizes in bytes as a mask: 1 | 2 | 4 | 8
  volatile std::uint8_t* raw = nullptr;  // raw window (real MMIO, a UIO/`/dev/mem` mapping)
  // Modelled window: offset is relative to guest_base; `tag` is the embedder's id of the window.
  bool (*load)(void* context, std::uint32_t tag, std::uint64_t offset, unsigned bytes,
               std::uint64_t* value) = nullptr;
  bool (*store)(void* context, std::uint32_t tag, std::uint64_t offset, unsigned bytes,
                std::uint64_t value) = nullptr;
  void* context = nullptr;
  std::uint32_t tag = 0;
};

// What a memory does with a load or store outside linear memory, before it traps:
// 1. `apertures` (copied when installed): an access inside one is served or refused by it;
// 2. anything else goes to the `load`/`store` hooks when set. A hook returning true has
//    performed the access (for a store) or produced `*value` (for a load, the raw little-endian
//    bytes zero-extended); false traps with `out of bounds memory access`.
// A refused aperture access (straddling its end, misaligned, a width it does not allow) calls
// `refused` when set, so the embedder can record why; it and a device fault (a modelled
// aperture's callback returned false, having recorded why itself) trap with kAccessViolation. Accesses inside linear memory never look at any of this, so ordinary loads
// and stores cost the same with or without windows.
struct OutOfBoundsHandler {
  bool (*load)(void* context, std::uint64_t address, unsigned bytes, std::uint64_t* value) = nullptr;
  bool (*store)(void* context, std::uint64_t address, unsigned bytes, std::uint64_t value) = nullptr;
  void* context = nullptr;
  std::span<const DeviceAperture> apertures;
  void (*refused)(void* context, const DeviceAperture& aperture, std::uint64_t address,
                  unsigned bytes, bool is_store) = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Store and instances
// ---------------------------------------------------------------------------------------------

struct InstanceLimits {
  std::uint32_t max_memory_pages = 65536;       // an instance's memory may never exceed this
                                                // many 64 KiB (whatever its page size)
  std::uint32_t max_table_elements = 10000000;  // per table
  // The memory cap in bytes (an MCU deployment sets 16384); the lower of the two caps applies.
  // A memory of 1-byte pages (custom-page-sizes proposal) can be capped to the byte.
  std::uint64_t max_memory_bytes = std::uint64_t{1} << 32;
};

struct InstanceOptions {
  InstanceLimits limits;
  // Runs the start function; nullptr means a temporary execution with default configuration.
  // If the start function suspends in a given execution, the instance is returned and the start
  // function completes when the embedder resumes that execution; a temporary execution cannot
  // be resumed, so there a suspension fails with kStartSuspended.
  Execution* execution = nullptr;
};

class Instance {
 public:
  const Module& module() const noexcept;
  Store& store() const noexcept;
  // Exports by name; kExportNotFound when absent or of another kind.
  Expected<Extern> find_export(std::string_view name) const noexcept;
  FunctionInstance* exported_function(std::string_view name) const noexcept;
  MemoryInstance* memory(std::uint32_t index = 0) const noexcept;
  FunctionInstance* function(std::uint32_t function_index) const noexcept;

  // Runs this instance's defined functions from ahead-of-time compiled native code (the AOT
  // tier, docs/design/0015). Refused with kNativeAbiMismatch when the image was generated for
  // another engine ABI or object layout, kNativeModuleMismatch when from other module bytes.
  // The image must outlive the instance. The start function has already run interpreted.
  Expected<void> attach_native(const AotImage& image) noexcept;
  bool has_native() const noexcept;

  static void* operator new(std::size_t size);
  static void operator delete(void* pointer, std::size_t size) noexcept;

  struct Impl;
  Impl& impl() const noexcept { return *impl_; }

 private:
  friend class Store;
  explicit Instance(Impl* impl) noexcept;
  ~Instance();
  Impl* impl_;
};

class Store {
 public:
  Store();
  ~Store();  // destroys every object and instance created in it
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Host objects. The function type is copied.
  FunctionInstance* add_host_function(const FuncType& type, HostFunction function,
                                      void* user_data, std::string_view debug_name);
  Expected<GlobalInstance*> add_global(GlobalType type, Value initial);
  Expected<MemoryInstance*> add_memory(MemoryType type);
  Expected<TableInstance*> add_table(TableType type, RefWord initial = 0);

  // Imports in the module's import order. Errors: kLink phase for missing/mismatched imports,
  // kInstantiate for segments out of bounds, or a trap from the start function.
  Expected<Instance*> instantiate(const Module& module, std::span<const Extern> imports,
                                  const InstanceOptions& options = {});

  // Embedder access to runtime objects.
  static FuncType function_type(const FunctionInstance* function) noexcept;
  static Value global_get(const GlobalInstance* global) noexcept;
  static GlobalType global_type(const GlobalInstance* global) noexcept;
  static Expected<void> global_set(GlobalInstance* global, Value value) noexcept;
  static std::span<std::uint8_t> memory_data(MemoryInstance* memory) noexcept;
  static std::uint64_t memory_pages(const MemoryInstance* memory) noexcept;
  // Installs `handler` (replacing the previous one; its apertures are copied). Linear memory
  // never grows over an aperture: the memory's maximum is capped below the lowest aperture above
  // its current end. Returns false (installing nothing) when an aperture overlaps the current
  // memory, has an empty or wrapping range or no width, or the copy cannot be allocated.
  static bool set_out_of_bounds_handler(MemoryInstance* memory, const OutOfBoundsHandler& handler) noexcept;
  static std::uint64_t table_size(const TableInstance* table) noexcept;
  static Expected<RefWord> table_get(const TableInstance* table, std::uint64_t index) noexcept;

  static void* operator new(std::size_t size);
  static void operator delete(void* pointer, std::size_t size) noexcept;

  struct Impl;
  Impl& impl() const noexcept { return *impl_; }

 private:
  Impl* impl_;
};

// Maps (module, name) to externs: a convenience for embedders with named host modules and
// for registering instances under a name (as the spec tests do).
class Linker {
 public:
  Linker();
  ~Linker();
  Linker(const Linker&) = delete;
  Linker& operator=(const Linker&) = delete;

  void define(std::string_view module, std::string_view name, Extern value);
  void define_instance(std::string_view module, const Instance& instance);
  // Externs in import order, or kUnknownImport with Error::index = the import's index.
  Expected<void> resolve(const Module& module, Extern* out, std::uint32_t out_count) const;

 private:
  struct Impl;
  Impl* impl_;
};

// ---------------------------------------------------------------------------------------------
// Ahead-of-time compiled code (docs/design/0015)
// ---------------------------------------------------------------------------------------------

// One native function: the generated code's entry (its context type is internal).
using AotFunction = int (*)(void* context, std::uint64_t* frame, std::uint32_t depth);

// What a generated source file defines (`wasmio aot`): native code for every defined function
// of exactly one module binary, for exactly one engine ABI.
struct AotImage {
  std::uint32_t abi_version = 0;
  std::uint64_t layout = 0;            // fingerprint of the engine objects the code touches
  std::uint64_t module_hash = 0;       // aot_module_hash of the module bytes
  std::uint64_t module_size = 0;
  std::uint32_t function_count = 0;    // defined functions
  const AotFunction* functions = nullptr;
};

// The hash an image records (64-bit FNV-1a: identifies the bytes, not a security measure).
std::uint64_t aot_module_hash(std::span<const std::uint8_t> bytes) noexcept;

// Generates the C++ source of the native code of `module` (loaded to LoadStage::kLower); the
// image is an extern "C" variable named `symbol`. The text goes to `sink` in pieces.
using AotTextSink = void (*)(void* context, std::string_view text);
Expected<void> aot_emit_source(const Module& module, std::string_view symbol, AotTextSink sink,
                               void* sink_context);

// ---------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------

enum class FuelPolicy : std::uint8_t {
  kTrap,     // running out of fuel traps with kFuelExhausted
  kSuspend,  // running out of fuel suspends; add fuel and resume
};

struct ExecutionConfig {
  std::uint32_t stack_slots = 64 * 1024;  // 64-bit value slots (locals + operands), all frames
  std::uint32_t max_frames = 8 * 1024;    // Wasm call depth
  FuelPolicy fuel_policy = FuelPolicy::kTrap;
  // AOT tier: invoke runs functions that have native code natively (false: always interpreted).
  // Native Wasm frames live on the calling thread's stack; deeper than `native_stack_bytes`
  // below the invoke they trap with kCallStackExhausted, like max_frames does.
  bool use_native = true;
  std::uint32_t native_stack_bytes = 256 * 1024;
};

enum class RunState : std::uint8_t {
  kIdle,       // nothing started, or the last run ended (returned or trapped)
  kSuspended,  // stopped at a safe point or in a host call; resume() continues
  kReturned,   // the call returned; results() holds its values
};

enum class SuspendReason : std::uint8_t {
  kNone,
  kFuel,     // fuel ran out under FuelPolicy::kSuspend
  kPreempt,  // request_preempt()
  kHost,     // a host function returned HostStatus::kSuspend
};

// One Wasm frame of a trap's backtrace, innermost first.
struct BacktraceFrame {
  std::uint32_t function_index;  // in its module's function index space
  std::string_view name;         // from the name section; may be empty
  std::uint32_t code_offset;     // byte offset of the instruction in the module binary
};

class Execution {
 public:
  explicit Execution(const ExecutionConfig& config = {});
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  // Calls `function` with `args`. Returns kReturned or kSuspended; a trap is an error with
  // Phase::kExecute (the backtrace is then available). Calling while suspended is kBusy.
  Expected<RunState> invoke(FunctionInstance* function, std::span<const Value> args);
  // Continues a suspended execution exactly where it stopped.
  Expected<RunState> resume();
  // Drops a suspended call (its frames are discarded); the execution becomes idle.
  void abandon() noexcept;

  RunState state() const noexcept;
  SuspendReason suspend_reason() const noexcept;
  std::span<const Value> results() const noexcept;
  std::span<const BacktraceFrame> backtrace() const noexcept;

  // Fuel: a deterministic budget of Wasm instructions, charged at safe points. The default is
  // unlimited. set_fuel(n) allows n more units from now on.
  void set_fuel(std::uint64_t units) noexcept;
  std::uint64_t fuel_consumed() const noexcept;
  std::uint64_t fuel_remaining() const noexcept;

  // Asynchronous requests, safe from another thread, a signal handler or an interrupt handler.
  // They take effect at the next safe point (function entry or loop back-edge).
  void request_preempt() noexcept;  // suspend with SuspendReason::kPreempt
  void request_stop() noexcept;     // trap with ErrorCode::kStopped

  static void* operator new(std::size_t size);
  static void operator delete(void* pointer, std::size_t size) noexcept;

  struct Impl;
  Impl& impl() const noexcept { return *impl_; }

 private:
  Impl* impl_;
};

}  // namespace wasmio
