// Services between driver containers: a registry of named, versioned services, the guest
// interface (module "wasmio_svc", sdk/include/wasmio/service.h) and the container lifecycle
// around it — install, removal, live update with the service gap measured, fault policies of a
// provider that fails during a call. Design: docs/design/0013-services-and-update.md.
//
// A call runs on the caller's time (migrating-thread style): the request is copied into the
// provider's message buffer, the provider's handler runs in the provider's instance on a
// separate execution with at most its declared fuel budget, and the reply is copied back. It
// is synchronous and bounded, so nothing is ever in flight between two scheduler steps; that is
// what makes removal and update clean.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/bind/binding.h"
#include "io/container/window_source.h"
#include "sched/driver_loader.h"
#include "sched/scheduler.h"
#include "service_section.h"

namespace wasmio::services {

// What the caller sees (the guest header's WASMIO_SVC_E* values).
enum class CallError : std::int32_t {
  kUndeclared = -1,
  kVersion = -2,
  kUnavailable = -3,
  kUpdating = -4,
  kTooBig = -5,
  kRange = -6,
  kFault = -7,
  kBudget = -8,
  kBusy = -9,
  kHandle = -10,
};
inline constexpr std::int32_t kAppErrorBase = -256;
// Fuel a provider's handler runs before its caller yields to the scheduler (then resumes):
// bounds what a call adds to the latency of more urgent work (4000 cycles at 4 cycles/fuel).
inline constexpr std::uint64_t kCallQuantum = 1000;
const char* call_error_name(std::int32_t code);

enum class ServiceState : std::uint8_t {
  kNoProvider,  // removed, or never installed
  kNotReady,    // provider installed, its code has not called ready (yet, or again after a fault)
  kReady,
  kUpdating,    // the provider is being replaced
};
const char* service_state_name(ServiceState state);

struct ServiceStats {
  std::uint64_t calls = 0;    // every call that named the service
  std::uint64_t replies = 0;  // calls that reached the handler and returned
  std::uint64_t refused = 0;  // refused before reaching the handler
  std::uint64_t faults = 0;   // provider trapped during a call
  std::uint64_t overruns = 0; // provider overran its budget
  std::uint64_t fuel_max = 0; // most fuel one call used
  sched::Cycles last_reply = sched::kNever;
};

struct ServiceInfo {
  std::string name;
  Version version;
  std::string provider;  // container name; empty when none
  ServiceState state = ServiceState::kNoProvider;
  ServiceStats stats;
};

// One live update: from the old version's last reply to the new version's first.
struct UpdateRecord {
  std::string container;
  sched::Cycles at = 0;                      // virtual time the update ran
  sched::Cycles last_old_reply = sched::kNever;
  std::optional<sched::Cycles> ready_at;  // the new version called ready: downtime = ready_at - at
  std::optional<sched::Cycles> first_new_reply;
  std::optional<sched::Cycles> gap() const {
    if (!first_new_reply || last_old_reply == sched::kNever) return std::nullopt;
    return *first_new_reply - last_old_reply;
  }
};

class ServiceHub {
 public:
  // All three must outlive the hub; the hub removes its containers from the scheduler when
  // destroyed.
  ServiceHub(sched::Scheduler& scheduler, io::GrantRegistry& registry, io::WindowSource& windows);
  ~ServiceHub();
  ServiceHub(const ServiceHub&) = delete;
  ServiceHub& operator=(const ServiceHub&) = delete;

  // Loads a container (driver or application), checks its service section against the module
  // and the services already provided, installs it and (start) starts it. Refusals say why and
  // leave nothing behind.
  std::optional<sched::ContainerId> install(std::span<const std::uint8_t> bytes,
                                            std::string_view source,
                                            sched::DriverOptions options, std::string* error,
                                            bool start = true);
  // Stops and removes a container; the services it provided become unavailable.
  bool remove(std::string_view container);
  // Replaces a running container by a new module. Refused, with the old version untouched,
  // when the new one does not load, does not bind (checked against the board's grants minus
  // the old version's) or does not provide every service of the old one in a compatible
  // version. On success the old version is removed and the new one started; its services
  // answer kUpdating until the new code calls ready.
  bool update(std::string_view container, std::span<const std::uint8_t> bytes,
              std::string_view source, std::string* error);

  // Execution stacks of the containers installed from now on (tasks, interrupt handlers and
  // service handlers). Drivers need little: the scheduler's default is sized for any program.
  void set_execution_config(const ExecutionConfig& config) { execution_ = config; }

  std::optional<sched::ContainerId> id_of(std::string_view container) const;
  std::vector<ServiceInfo> services() const;
  std::optional<ServiceInfo> service(std::string_view name) const;
  const std::vector<UpdateRecord>& updates() const { return updates_; }
  // Restarts done by the hub for providers with FaultPolicy::kRestart that failed in a call.
  std::uint64_t provider_restarts(std::string_view container) const;
  std::string last_fault(std::string_view container) const;

  struct Member;   // internal: one container
  struct Service;  // internal: one service name

 private:
  friend struct SvcHost;
  struct Prepared;
  std::optional<Prepared> prepare(std::span<const std::uint8_t> bytes, std::string_view source,
                                  const sched::DriverOptions& options, io::GrantRegistry& registry,
                                  const Member* replacing, std::string* error);
  std::optional<sched::ContainerId> commit(Prepared prepared, bool start, std::string* error);
  // A call: started, continued after the caller yielded; nullopt = not finished yet.
  std::optional<std::int32_t> start_call(Member& caller, const Execution* execution,
                                         std::uint32_t handle, std::uint32_t op,
                                         std::span<const std::uint8_t> request,
                                         std::uint32_t reply_at, std::uint32_t reply_capacity);
  std::optional<std::int32_t> continue_call(Member& caller);
  std::optional<std::int32_t> settle(Member& caller, const Expected<RunState>& result);
  void drain(Member& provider, bool deliver);
  void reap(Member& provider);
  void instance_replaced(Member& member);
  void provider_failed(Member& provider, std::string what);
  void detach(Member& member);
  Member* find(std::string_view container) const;
  Service& service_entry(std::string_view name);

  sched::Scheduler& scheduler_;
  io::GrantRegistry& registry_;
  io::WindowSource& windows_;
  std::vector<std::unique_ptr<Member>> members_;
  std::map<std::string, std::unique_ptr<Service>, std::less<>> services_;
  std::vector<UpdateRecord> updates_;
  std::optional<ExecutionConfig> execution_;
  bool in_handler_ = false;  // a provider's handler runs now: no nested call, no update
};

}  // namespace wasmio::services
