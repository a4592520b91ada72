// From a driver binary to a scheduler container: the manifest's IRQ records become handler
// specifications (priority, budget in fuel, minimum inter-arrival converted to cycles), its
// register windows are bound and granted exactly as for io::DriverContainer (same binder, same
// access paths), and its imports of module "wasmio" are served by the host-call path while
// "wasmio_irq" is served by the scheduler. The deployment may override any IRQ's parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/bind/binding.h"
#include "io/container/window_source.h"
#include "scheduler.h"

namespace wasmio::sched {

// A deployment's override of one manifest IRQ (by handler export name).
struct IrqOverride {
  std::string handler;
  std::optional<std::uint8_t> priority;
  std::optional<std::uint64_t> budget_fuel;
  std::optional<std::uint32_t> min_interarrival_us;
  std::optional<ArrivalPolicy> arrival;
};

struct DriverOptions {
  std::string name;  // empty: the manifest's driver name
  io::Deployment deployment;
  std::vector<IrqOverride> overrides;
  FaultPolicy fault_policy = FaultPolicy::kDisable;
  ArrivalPolicy arrival = ArrivalPolicy::kDefer;
  std::string task_export = "main";  // run as the task when exported as () -> ()
  std::uint8_t task_priority = 128;
  Cycles task_period = 0;
  // One more import module served by the embedder (e.g. "wasmio_svc", src/services): its
  // imports are accepted and `extra_imports` fills them after the register-access imports.
  std::string extra_import_module;
  ImportProvider extra_imports;
};

// What the container's host functions point into; releases the grants when the last user goes.
struct DriverGrants;

struct DriverLoad {
  std::optional<ContainerSpec> spec;  // ready for Scheduler::install
  std::string error;                  // when spec is empty: every reason
  explicit operator bool() const { return spec.has_value(); }
};

// `registry` and `windows` must outlive the returned spec (and any container made from it).
DriverLoad load_driver(std::span<const std::uint8_t> bytes, std::string_view source_name,
                       io::GrantRegistry& registry, io::WindowSource& windows,
                       std::uint64_t cycles_per_second, const DriverOptions& options = {});

}  // namespace wasmio::sched
