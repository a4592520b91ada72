// A driver container: one driver module, isolated in its own store, with exactly the register
// windows, interrupts and properties its manifest asked for and the board granted.
//
// Loading goes bytes -> Module::load -> manifest (custom section wasmio.manifest) -> module
// check (imports agree with the manifest) -> bind against the board's GrantRegistry -> backend
// windows -> a Store with host functions of module "wasmio" for the granted windows only ->
// instantiate -> (mapped path) the OutOfBoundsHandler on its memory. Any refusal on the way
// says every reason at once and leaves nothing behind: the grants are released, no store
// survives. Destroying the container releases its grants.
//
// A trap inside the container (a refused register access, a Wasm trap) ends that call only;
// the container, the host and every other container keep working.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../access/host_call_path.h"
#include "../bind/binding.h"
#include "../manifest/manifest.h"
#include "wasmio/engine.h"
#include "window_source.h"

namespace wasmio::io {

struct ContainerOptions {
  std::string name;  // name in the grant registry; empty: the manifest's driver name
  Deployment deployment;
  InstanceLimits limits;
  ExecutionConfig execution;
  // false: the container refers to the caller's bytes, which must outlive it (a driver linked
  // into a microcontroller's flash stays there instead of being copied to RAM).
  bool copy_bytes = true;
  // One more import module served by the embedder (e.g. "wasmio_async", src/io/async): its
  // imports are accepted and `extra_imports` fills them after binding (it sees the binding).
  // `extension` lives as long as the container and is released first when it goes.
  std::string extra_import_module;
  std::function<bool(Store&, const Module&, const ContainerBinding&, std::vector<Extern>&,
                     std::string*)>
      extra_imports;
  std::shared_ptr<void> extension;
};

// Why a load failed, by stage.
enum class LoadFailure : std::uint8_t {
  kNone,
  kModule,    // not a valid Wasm module
  kManifest,  // malformed / duplicate manifest section
  kCheck,     // imports and manifest disagree
  kBinding,   // the board cannot grant what the manifest needs
  kBackend,   // no register backend for a granted window
  kInstance,  // linking or instantiation failed
};

class DriverContainer;

struct ContainerLoad {
  std::unique_ptr<DriverContainer> container;  // null on failure
  LoadFailure failure = LoadFailure::kNone;
  std::string error;               // the complete message, one reason per line
  std::optional<Refusal> refusal;  // kBinding: the binder's reasons
  explicit operator bool() const { return container != nullptr; }
};

struct CallResult {
  bool ok = false;
  std::vector<Value> results;
  Error error{};         // on failure; a refused register access is kAccessViolation
  std::string message;   // on failure: what happened, with the access or the backtrace
};

class DriverContainer {
 public:
  // `source_name` (a file name) labels messages. `registry` and `windows` must outlive the
  // container.
  static ContainerLoad load(std::span<const std::uint8_t> bytes, std::string_view source_name,
                            GrantRegistry& registry, WindowSource& windows,
                            ContainerOptions options = {});
  ~DriverContainer();
  DriverContainer(const DriverContainer&) = delete;
  DriverContainer& operator=(const DriverContainer&) = delete;

  // Calls an exported function to completion (fuel: optional instruction budget).
  CallResult call(std::string_view export_name, std::span<const Value> args = {},
                  std::optional<std::uint64_t> fuel = std::nullopt);
  bool exports_function(std::string_view name) const;

  const std::string& name() const { return name_; }
  const std::string& source_name() const { return source_name_; }
  const Manifest* manifest() const { return manifest_ ? &*manifest_ : nullptr; }
  const ContainerBinding& binding() const { return binding_; }
  const Module& module() const { return *module_; }
  GuestWindows& io() { return io_; }
  Execution& execution() { return *execution_; }
  Instance& instance() { return *instance_; }

 private:
  DriverContainer() = default;

  std::shared_ptr<void> extension_;  // ContainerOptions::extension
  std::string name_;
  std::string source_name_;
  GrantRegistry* registry_ = nullptr;
  bool bound_ = false;
  std::optional<Manifest> manifest_;
  ContainerBinding binding_;
  GuestWindows io_;  // host functions point here: the container never moves (heap only)
  std::unique_ptr<Module> module_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Execution> execution_;
  Instance* instance_ = nullptr;
};

// "driver.wasm: trap: ..." style text of an engine error (decode/validate offsets included).
std::string describe_engine_error(const Error& error);

}  // namespace wasmio::io
