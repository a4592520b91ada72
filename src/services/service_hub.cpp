#include "service_hub.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace wasmio::services {

using sched::Cycles;
using sched::kNever;

const char* call_error_name(std::int32_t code) {
  switch (static_cast<CallError>(code)) {
    case CallError::kUndeclared: return "undeclared service";
    case CallError::kVersion: return "version mismatch";
    case CallError::kUnavailable: return "unavailable";
    case CallError::kUpdating: return "updating";
    case CallError::kTooBig: return "request too big";
    case CallError::kRange: return "reply does not fit";
    case CallError::kFault: return "provider fault";
    case CallError::kBudget: return "provider budget overrun";
    case CallError::kBusy: return "provider busy";
    case CallError::kHandle: return "bad handle";
  }
  if (code < kAppErrorBase && code >= kAppErrorBase - 255) return "application error";
  return code >= 0 ? "ok" : "unknown error";
}

const char* service_state_name(ServiceState state) {
  switch (state) {
    case ServiceState::kNoProvider: return "no-provider";
    case ServiceState::kNotReady: return "not-ready";
    case ServiceState::kReady: return "ready";
    case ServiceState::kUpdating: return "updating";
  }
  return "?";
}

struct ServiceHub::Member {
  ServiceHub* hub = nullptr;
  std::string name;
  std::optional<sched::ContainerId> id;
  std::vector<std::uint8_t> bytes;  // kept for restarts
  std::string source;
  sched::DriverOptions options;     // as given (without the hub's import hooks)
  ServiceSection section;
  struct Offer {
    bool ready = false;
    std::uint32_t buffer = 0;
    std::uint32_t capacity = 0;
    FunctionInstance* handler = nullptr;
    Instance* instance = nullptr;
  };
  std::vector<Offer> offers;  // parallel to section.provides
  struct Handle {
    Service* service;
    Version wanted;
  };
  std::vector<Handle> handles;
  std::unique_ptr<Execution> server;  // runs this container's service handlers
  // This container's call in progress (its caller waits between quanta of the handler).
  struct Pending {
    bool active = false;
    const Execution* execution = nullptr;  // the caller's execution
    Service* service = nullptr;
    Member* provider = nullptr;
    std::uint32_t handle = 0, op = 0, reply_at = 0, reply_capacity = 0;
    std::uint64_t fuel_start = 0, fuel_charged = 0;
    std::optional<std::int32_t> result;  // set when drained or aborted for the caller
  };
  Pending pending;
  Member* serving = nullptr;  // the caller whose call this provider's handler is running
  bool failed = false;                // failed in a call; its fault policy is pending
  std::uint64_t restarts = 0;
  std::string last_fault;

  // Every instantiation (install and the scheduler's restarts) starts from nothing served and
  // nothing opened: the new code calls ready and open itself.
  void on_new_instance() {
    for (Offer& o : offers) o = Offer{};
    handles.clear();
    failed = false;
  }
};

struct ServiceHub::Service {
  std::string name;
  Version version;  // of the current (or last) provider
  Member* provider = nullptr;
  std::size_t offer = 0;
  bool updating = false;
  std::optional<std::size_t> update;  // index in updates_ awaiting the first new reply
  ServiceStats stats;
};

struct ServiceHub::Prepared {
  sched::DriverLoad load;
  std::unique_ptr<Member> member;
};

// ---------------------------------------------------------------------------------------------
// Guest interface (module "wasmio_svc")
// ---------------------------------------------------------------------------------------------

struct SvcHost {
  using Member = ServiceHub::Member;

  static Member& member(HostCall& call) { return *static_cast<Member*>(call.user_data); }

  static void charge(HostCall& call) {
    sched::Scheduler& s = member(call).hub->scheduler_;
    s.sync_time();
    s.platform().consume(s.costs().host_call);
  }

  // A (pointer, length) pair inside the caller's memory, else nullopt (the caller traps).
  static std::optional<std::span<std::uint8_t>> guest_bytes(HostCall& call, std::uint32_t at,
                                                            std::uint32_t length) {
    const std::span<std::uint8_t> memory = call.memory();
    if (static_cast<std::uint64_t>(at) + length > memory.size()) return std::nullopt;
    return memory.subspan(at, length);
  }

  static std::optional<std::string_view> guest_name(HostCall& call, std::uint32_t at,
                                                    std::uint32_t length) {
    auto bytes = guest_bytes(call, at, length);
    if (!bytes) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  }

  // The shape of ready, withdraw and open: args 0 and 1 name a service in the caller's memory
  // (outside it: the caller traps); `body(member, name)` gives the i32 result, or nullopt when
  // another argument points outside the caller's memory.
  template <typename Body>
  static HostStatus named_call(HostCall& call, Body&& body) {
    charge(call);
    const auto name = guest_name(call, call.arg_i32(0), call.arg_i32(1));
    const std::optional<std::int32_t> result =
        name ? body(member(call), *name) : std::optional<std::int32_t>{};
    if (!result) return call.fail(ErrorCode::kOutOfBoundsMemoryAccess);
    call.set_i32(0, static_cast<std::uint32_t>(*result));
    return HostStatus::kReturn;
  }

  // Which of the member's declared provided services is `name`.
  static std::optional<std::size_t> provided(const Member& m, std::string_view name) {
    for (std::size_t i = 0; i < m.section.provides.size(); ++i) {
      if (m.section.provides[i].name == name) return i;
    }
    return std::nullopt;
  }

  // i32 ready(i32 name, i32 name_len, i32 buffer, i32 capacity)
  static HostStatus ready(HostCall& call) {
    return named_call(call, [&](Member& m, std::string_view name) -> std::optional<std::int32_t> {
      if (!guest_bytes(call, call.arg_i32(2), call.arg_i32(3))) return std::nullopt;
      const auto i = provided(m, name);
      if (!i) return static_cast<std::int32_t>(CallError::kUndeclared);
      const ProvidedService& p = m.section.provides[*i];
      if (call.arg_i32(3) < std::max(p.max_request, p.max_reply) || call.caller == nullptr) {
        return static_cast<std::int32_t>(CallError::kRange);
      }
      Member::Offer& o = m.offers[*i];
      o.handler = call.caller->exported_function(p.handler);  // checked at load
      o.instance = call.caller;
      o.buffer = call.arg_i32(2);
      o.capacity = call.arg_i32(3);
      o.ready = o.handler != nullptr;
      m.failed = false;
      auto s = m.hub->services_.find(p.name);
      if (s != m.hub->services_.end() && s->second->provider == &m && s->second->updating) {
        s->second->updating = false;
        if (s->second->update) m.hub->updates_[*s->second->update].ready_at = m.hub->scheduler_.platform().now();
      }
      return o.ready ? 0 : static_cast<std::int32_t>(CallError::kUnavailable);
    });
  }

  // i32 withdraw(i32 name, i32 name_len)
  static HostStatus withdraw(HostCall& call) {
    return named_call(call, [](Member& m, std::string_view name) -> std::optional<std::int32_t> {
      const auto i = provided(m, name);
      if (!i) return static_cast<std::int32_t>(CallError::kUndeclared);
      m.offers[*i].ready = false;
      return 0;
    });
  }

  // i32 open(i32 name, i32 name_len, i32 major, i32 minor)
  static HostStatus open(HostCall& call) {
    return named_call(call, [&](Member& m, std::string_view name) -> std::optional<std::int32_t> {
      const Version wanted{static_cast<std::uint16_t>(call.arg_i32(2)),
                           static_cast<std::uint16_t>(call.arg_i32(3))};
      auto declared = std::find_if(m.section.uses.begin(), m.section.uses.end(),
                                   [&](const UsedService& u) { return u.name == name; });
      if (declared == m.section.uses.end() || declared->version.major != wanted.major ||
          declared->version.minor != wanted.minor || call.arg_i32(2) > 0xFFFF ||
          call.arg_i32(3) > 0xFFFF) {
        return static_cast<std::int32_t>(CallError::kUndeclared);
      }
      ServiceHub::Service& s = m.hub->service_entry(name);
      if (s.provider != nullptr && !s.version.satisfies(wanted)) {
        return static_cast<std::int32_t>(CallError::kVersion);
      }
      m.handles.push_back({&s, wanted});
      return static_cast<std::int32_t>(m.handles.size() - 1);
    });
  }

  // i32 call(i32 handle, i32 op, i32 request, i32 request_len, i32 reply, i32 reply_capacity)
  // May suspend the caller between quanta of the provider's handler; called again on resume.
  static HostStatus call_service(HostCall& call) {
    charge(call);
    Member& m = member(call);
    ServiceHub& hub = *m.hub;
    std::optional<std::int32_t> r;
    if (m.pending.active && m.pending.execution == &call.execution) {
      r = hub.continue_call(m);
    } else if (m.pending.active) {
      r = static_cast<std::int32_t>(CallError::kBusy);  // its task is in a call already
    } else {
      auto request = guest_bytes(call, call.arg_i32(2), call.arg_i32(3));
      auto reply = guest_bytes(call, call.arg_i32(4), call.arg_i32(5));
      if (!request || !reply) return call.fail(ErrorCode::kOutOfBoundsMemoryAccess);
      r = hub.start_call(m, &call.execution, call.arg_i32(0), call.arg_i32(1), *request,
                         call.arg_i32(4), call.arg_i32(5));
    }
    if (!r) return HostStatus::kSuspend;
    call.set_i32(0, static_cast<std::uint32_t>(*r));
    return HostStatus::kReturn;
  }
};

namespace {

constexpr ValType kI32 = ValType::kI32;
constexpr std::array<ValType, 1> kI32x1{kI32};
constexpr std::array<ValType, 2> kI32x2{kI32, kI32};
constexpr std::array<ValType, 4> kI32x4{kI32, kI32, kI32, kI32};
constexpr std::array<ValType, 6> kI32x6{kI32, kI32, kI32, kI32, kI32, kI32};

struct Entry {
  std::string_view name;
  HostFunction function;
  std::span<const ValType> params;
};

const Entry kEntries[] = {
    {"ready", &SvcHost::ready, kI32x4},
    {"withdraw", &SvcHost::withdraw, kI32x2},
    {"open", &SvcHost::open, kI32x4},
    {"call", &SvcHost::call_service, kI32x6},
};

bool is_handler_type(const FuncType& t) {
  return t == FuncType{kI32x2, kI32x1};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

ServiceHub::ServiceHub(sched::Scheduler& scheduler, io::GrantRegistry& registry,
                       io::WindowSource& windows)
    : scheduler_(scheduler), registry_(registry), windows_(windows) {}

ServiceHub::~ServiceHub() {
  for (auto& m : members_) {
    if (m->id) scheduler_.remove(*m->id);
  }
}

ServiceHub::Service& ServiceHub::service_entry(std::string_view name) {
  auto it = services_.find(name);
  if (it == services_.end()) {
    auto s = std::make_unique<Service>();
    s->name = std::string(name);
    it = services_.emplace(s->name, std::move(s)).first;
  }
  return *it->second;
}

ServiceHub::Member* ServiceHub::find(std::string_view container) const {
  for (const auto& m : members_) {
    if (m->name == container) return m.get();
  }
  return nullptr;
}

std::optional<ServiceHub::Prepared> ServiceHub::prepare(std::span<const std::uint8_t> bytes,
                                                        std::string_view source,
                                                        const sched::DriverOptions& options,
                                                        io::GrantRegistry& registry,
                                                        const Member* replacing,
                                                        std::string* error) {
  Prepared p;
  p.member = std::make_unique<Member>();
  Member* m = p.member.get();
  m->hub = this;
  m->bytes.assign(bytes.begin(), bytes.end());
  m->source = std::string(source);
  m->options = options;
  sched::DriverOptions hooked = options;
  hooked.extra_import_module = kServiceImportModule;
  hooked.extra_imports = [m](Store& store, const Module& module, std::vector<Extern>& externs,
                             std::string* why) {
    for (std::uint32_t i = 0; i < module.import_count(); ++i) {
      const ImportInfo import = module.import(i);
      if (import.module != kServiceImportModule) continue;
      const Entry* found = nullptr;
      for (const Entry& e : kEntries) {
        if (e.name == import.name) found = &e;
      }
      const FuncType type{found ? found->params : std::span<const ValType>{}, kI32x1};
      if (found == nullptr || import.kind != ExternKind::kFunction || !(type == import.function)) {
        *why = "import " + std::string(kServiceImportModule) + "." + std::string(import.name) +
               " is not provided (or has the wrong type)";
        return false;
      }
      externs[i] = Extern::of(store.add_host_function(type, found->function, m, found->name));
    }
    return true;
  };
  p.load = sched::load_driver(bytes, source, registry, windows_,
                              scheduler_.platform().cycles_per_second(), hooked);
  if (!p.load) {
    *error = p.load.error;
    return std::nullopt;
  }
  sched::ContainerSpec& spec = *p.load.spec;
  m->name = spec.name;
  if (find(m->name) != nullptr && find(m->name) != replacing) {
    *error = std::string(source) + ": a container named " + m->name + " is installed already";
    return std::nullopt;
  }
  const Module& module = *spec.module;
  bool have_section = false;
  for (std::uint32_t i = 0; i < module.custom_section_count(); ++i) {
    const CustomSection s = module.custom_section(i);
    if (s.name != kServiceSectionName) continue;
    if (have_section) {
      *error = std::string(source) + ": two " + kServiceSectionName + " sections";
      return std::nullopt;
    }
    SectionParse parsed = parse_service_section(s.bytes);
    if (!parsed) {
      *error = std::string(source) + ": " + parsed.error;
      return std::nullopt;
    }
    m->section = std::move(parsed.section);
    have_section = true;
  }
  for (const ProvidedService& ps : m->section.provides) {
    bool exported = false;
    for (std::uint32_t i = 0; i < module.export_count(); ++i) {
      const ExportInfo e = module.export_(i);
      if (e.name == ps.handler && e.kind == ExternKind::kFunction &&
          is_handler_type(module.function_type(e.index))) {
        exported = true;
      }
    }
    if (!exported) {
      *error = std::string(source) + ": service " + ps.name + ": handler \"" + ps.handler +
               "\" is not an exported (i32, i32) -> i32 function";
      return std::nullopt;
    }
    auto it = services_.find(ps.name);
    if (it != services_.end() && it->second->provider != nullptr &&
        it->second->provider != replacing) {
      *error = std::string(source) + ": service " + ps.name + " is provided by " +
               it->second->provider->name + " already";
      return std::nullopt;
    }
  }
  if (replacing != nullptr) {
    for (const ProvidedService& old : replacing->section.provides) {
      auto same = std::find_if(m->section.provides.begin(), m->section.provides.end(),
                               [&](const ProvidedService& n) { return n.name == old.name; });
      if (same == m->section.provides.end()) {
        *error = std::string(source) + ": does not provide " + old.name + ", which " +
                 replacing->name + " provides";
        return std::nullopt;
      }
      if (!same->version.satisfies(old.version)) {
        *error = std::string(source) + ": provides " + old.name + " " + same->version.text() +
                 ", not compatible with " + old.version.text() + " its callers use";
        return std::nullopt;
      }
    }
  }
  if (execution_) spec.execution = *execution_;
  m->offers.assign(m->section.provides.size(), Member::Offer{});
  auto previous = std::move(spec.on_instance);
  spec.on_instance = [this, m, previous](Instance& instance, std::string* error) {
    if (previous && !previous(instance, error)) return false;  // e.g. unplaceable windows
    instance_replaced(*m);
    m->on_new_instance();
    return true;
  };
  return p;
}

std::optional<sched::ContainerId> ServiceHub::commit(Prepared p, bool start, std::string* error) {
  Member* m = p.member.get();
  auto id = scheduler_.install(std::move(*p.load.spec), error);
  if (!id) return std::nullopt;
  m->id = *id;
  for (std::size_t i = 0; i < m->section.provides.size(); ++i) {
    Service& s = service_entry(m->section.provides[i].name);
    s.provider = m;
    s.offer = i;
    s.version = m->section.provides[i].version;
  }
  members_.push_back(std::move(p.member));
  if (start) scheduler_.start(*id);
  return id;
}

std::optional<sched::ContainerId> ServiceHub::install(std::span<const std::uint8_t> bytes,
                                                      std::string_view source,
                                                      sched::DriverOptions options,
                                                      std::string* error, bool start) {
  auto prepared = prepare(bytes, source, options, registry_, nullptr, error);
  if (!prepared) return std::nullopt;
  return commit(std::move(*prepared), start, error);
}

void ServiceHub::detach(Member& m) {
  for (auto& [name, s] : services_) {
    if (s->provider == &m) s->provider = nullptr;
  }
  // Handles other members hold point at services, not members: nothing else refers to m.
  members_.erase(std::find_if(members_.begin(), members_.end(),
                              [&](const auto& p) { return p.get() == &m; }));
}

bool ServiceHub::remove(std::string_view container) {
  Member* m = find(container);
  if (m == nullptr || in_handler_) return false;
  // In-flight calls end cleanly: a call it serves is finished and answered; a call it makes
  // is finished for the provider's sake and its reply dropped.
  drain(*m, true);
  if (m->pending.active && !m->pending.result) drain(*m->pending.provider, false);
  if (m->id) scheduler_.remove(*m->id);
  for (auto& [name, s] : services_) {
    if (s->provider == m) s->updating = false;
  }
  detach(*m);
  return true;
}

bool ServiceHub::update(std::string_view container, std::span<const std::uint8_t> bytes,
                        std::string_view source, std::string* error) {
  Member* old = find(container);
  if (old == nullptr) {
    *error = "update: no container named " + std::string(container);
    return false;
  }
  if (in_handler_) {
    *error = "update: refused from inside a service handler";
    return false;
  }
  // Dry run against the grants the board would have without the old version: the same loader,
  // binder and checks, so a refusal here leaves the old version serving untouched.
  {
    io::GrantRegistry scratch = registry_;
    scratch.unbind(old->name);
    std::string why;
    auto trial = prepare(bytes, source, old->options, scratch, old, &why);
    if (!trial) {
      *error = "update of " + old->name + " refused: " + why;
      return false;
    }
  }
  // In-flight calls end first: one it serves is answered by the old version (and counts as
  // its last reply); one it makes is finished for its provider's sake.
  drain(*old, true);
  if (old->pending.active && !old->pending.result) drain(*old->pending.provider, false);
  UpdateRecord record;
  record.container = old->name;
  record.at = scheduler_.platform().now();
  for (auto& [name, s] : services_) {
    if (s->provider != old) continue;
    if (s->stats.last_reply != kNever &&
        (record.last_old_reply == kNever || s->stats.last_reply > record.last_old_reply)) {
      record.last_old_reply = s->stats.last_reply;
    }
  }
  const std::size_t index = updates_.size();
  updates_.push_back(record);
  for (auto& [name, s] : services_) {
    if (s->provider != old) continue;
    s->updating = true;  // calls now get kUpdating until the new version is ready
    s->update = index;
  }
  const sched::DriverOptions options = old->options;
  const std::vector<std::uint8_t> old_bytes = old->bytes;
  const std::string old_source = old->source;
  const std::uint64_t restarts = old->restarts;
  scheduler_.remove(*old->id);  // frees its grants and lines
  detach(*old);
  auto fresh = prepare(bytes, source, options, registry_, nullptr, error);
  std::optional<sched::ContainerId> id;
  if (fresh) id = commit(std::move(*fresh), true, error);
  if (id) {
    members_.back()->restarts = restarts;
    return true;
  }
  // Cannot happen after a successful dry run unless the board changed in between; put the old
  // version back rather than leave the service without a provider.
  std::string ignored;
  if (auto back = prepare(old_bytes, old_source, options, registry_, nullptr, &ignored)) {
    commit(std::move(*back), true, &ignored);
  }
  for (auto& [name, s] : services_) {
    if (s->update == index) {
      s->updating = false;
      s->update.reset();
    }
  }
  *error = "update of " + std::string(container) + " failed after the dry run: " + *error;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

std::optional<std::int32_t> ServiceHub::start_call(Member& caller, const Execution* execution,
                                                   std::uint32_t handle, std::uint32_t op,
                                                   std::span<const std::uint8_t> request,
                                                   std::uint32_t reply_at,
                                                   std::uint32_t reply_capacity) {
  auto refuse = [](CallError e) { return static_cast<std::int32_t>(e); };
  if (handle >= caller.handles.size()) return refuse(CallError::kHandle);
  Service& s = *caller.handles[handle].service;
  ++s.stats.calls;
  auto refused = [&](CallError e) {
    ++s.stats.refused;
    return refuse(e);
  };
  if (s.updating) return refused(CallError::kUpdating);
  Member* p = s.provider;
  if (p == nullptr || !p->id) return refused(CallError::kUnavailable);
  Member::Offer& offer = p->offers[s.offer];
  const ProvidedService& decl = p->section.provides[s.offer];
  if (!offer.ready || p->failed) return refused(CallError::kUnavailable);
  const auto info = scheduler_.info(*p->id);
  if (!info || info->task_state == sched::TaskState::kStopped ||
      info->task_state == sched::TaskState::kFaulted) {
    return refused(CallError::kUnavailable);
  }
  if (!decl.version.satisfies(caller.handles[handle].wanted)) return refused(CallError::kVersion);
  if (request.size() > decl.max_request) return refused(CallError::kTooBig);
  // One call at a time per provider and per caller; a provider's handler calling back into
  // its caller would need a second one.
  reap(*p);
  if (p == &caller || p->serving != nullptr || caller.pending.active || in_handler_) {
    return refused(CallError::kBusy);
  }
  Instance* instance = scheduler_.instance(*p->id);
  if (instance == nullptr || instance != offer.instance) return refused(CallError::kUnavailable);
  MemoryInstance* memory = instance->memory(0);
  if (memory == nullptr) return refused(CallError::kUnavailable);
  std::span<std::uint8_t> theirs = Store::memory_data(memory);
  if (static_cast<std::uint64_t>(offer.buffer) + offer.capacity > theirs.size()) {
    ++s.stats.faults;
    provider_failed(*p, decl.handler + ": message buffer outside its memory");
    return refuse(CallError::kFault);
  }
  if (!request.empty()) std::memcpy(theirs.data() + offer.buffer, request.data(), request.size());
  scheduler_.platform().consume(request.size() / 4);  // the copy, a word per cycle

  if (!p->server) {
    ExecutionConfig config = execution_.value_or(ExecutionConfig{});
    config.fuel_policy = FuelPolicy::kSuspend;  // quanta; the budget is counted here
    p->server = std::make_unique<Execution>(config);
  }
  Member::Pending& c = caller.pending;
  c = Member::Pending{};
  c.active = true;
  c.execution = execution;
  c.service = &s;
  c.provider = p;
  c.handle = handle;
  c.op = op;
  c.reply_at = reply_at;
  c.reply_capacity = reply_capacity;
  c.fuel_start = p->server->fuel_consumed();
  p->serving = &caller;
  const std::array<Value, 2> args{Value::i32(op),
                                  Value::i32(static_cast<std::uint32_t>(request.size()))};
  p->server->set_fuel(std::min<std::uint64_t>(kCallQuantum, decl.budget_fuel));
  in_handler_ = true;
  auto result = p->server->invoke(offer.handler, args);
  in_handler_ = false;
  return settle(caller, result);
}

std::optional<std::int32_t> ServiceHub::continue_call(Member& caller) {
  Member::Pending& c = caller.pending;
  if (c.result) {  // drained or aborted while the caller waited
    const std::int32_t r = *c.result;
    c = Member::Pending{};
    return r;
  }
  Member& p = *c.provider;
  const ProvidedService& decl = p.section.provides[c.service->offer];
  const std::uint64_t used = p.server->fuel_consumed() - c.fuel_start;
  p.server->set_fuel(std::min<std::uint64_t>(kCallQuantum, decl.budget_fuel - used));
  in_handler_ = true;
  auto result = p.server->resume();
  in_handler_ = false;
  return settle(caller, result);
}

std::optional<std::int32_t> ServiceHub::settle(Member& caller, const Expected<RunState>& result) {
  Member::Pending& c = caller.pending;
  Member& p = *c.provider;
  Service& s = *c.service;
  const ProvidedService& decl = p.section.provides[s.offer];
  Execution& ex = *p.server;
  const std::uint64_t used = ex.fuel_consumed() - c.fuel_start;
  // The handler runs on the caller's time: charge what this quantum executed.
  scheduler_.platform().consume(scheduler_.costs().fuel_to_cycles(used - c.fuel_charged));
  c.fuel_charged = used;
  s.stats.fuel_max = std::max(s.stats.fuel_max, used);
  auto end = [&](std::int32_t r) -> std::optional<std::int32_t> {
    p.serving = nullptr;
    c = Member::Pending{};
    return r;
  };
  if (!result) {
    const bool overrun = result.error().code == ErrorCode::kFuelExhausted;
    ++(overrun ? s.stats.overruns : s.stats.faults);
    provider_failed(p, decl.handler + ": " + result.error().message());
    return end(static_cast<std::int32_t>(overrun ? CallError::kBudget : CallError::kFault));
  }
  if (*result == RunState::kSuspended) {
    if (ex.suspend_reason() == SuspendReason::kFuel && used < decl.budget_fuel) {
      return std::nullopt;  // a quantum ended: the caller yields, more urgent work runs
    }
    const bool overrun = ex.suspend_reason() == SuspendReason::kFuel;
    ex.abandon();
    ++(overrun ? s.stats.overruns : s.stats.faults);
    provider_failed(p, decl.handler + (overrun ? ": budget overrun (" +
                                                     std::to_string(decl.budget_fuel) + " fuel)"
                                               : ": a service handler may not block"));
    return end(static_cast<std::int32_t>(overrun ? CallError::kBudget : CallError::kFault));
  }
  const std::int32_t n = static_cast<std::int32_t>(ex.results()[0].of.i32);
  if (n < 0) {
    ++s.stats.replies;
    s.stats.last_reply = scheduler_.platform().now();
    return end(kAppErrorBase + std::max<std::int32_t>(n, -255));
  }
  const std::uint32_t length = static_cast<std::uint32_t>(n);
  const Member::Offer& offer = p.offers[s.offer];
  Instance* theirs_instance = scheduler_.instance(*p.id);
  const std::span<std::uint8_t> theirs =
      Store::memory_data(theirs_instance->memory(0));  // the handler may have grown it
  if (length > decl.max_reply || length > offer.capacity ||
      static_cast<std::uint64_t>(offer.buffer) + length > theirs.size()) {
    ++s.stats.faults;
    provider_failed(p, decl.handler + ": reply of " + std::to_string(length) +
                           " bytes exceeds its declared maximum " + std::to_string(decl.max_reply));
    return end(static_cast<std::int32_t>(CallError::kFault));
  }
  if (length > c.reply_capacity) {
    ++s.stats.refused;
    return end(static_cast<std::int32_t>(CallError::kRange));
  }
  if (length != 0) {
    Instance* mine = caller.id ? scheduler_.instance(*caller.id) : nullptr;
    if (mine == nullptr) return end(static_cast<std::int32_t>(CallError::kUnavailable));
    const std::span<std::uint8_t> ours = Store::memory_data(mine->memory(0));
    // Checked at the call; memory never shrinks, so this holds unless the instance changed.
    if (static_cast<std::uint64_t>(c.reply_at) + length > ours.size()) {
      return end(static_cast<std::int32_t>(CallError::kRange));
    }
    std::memcpy(ours.data() + c.reply_at, theirs.data() + offer.buffer, length);
    scheduler_.platform().consume(length / 4);
  }
  ++s.stats.replies;
  s.stats.last_reply = scheduler_.platform().now();
  if (s.update) {
    updates_[*s.update].first_new_reply = s.stats.last_reply;
    s.update.reset();
  }
  return end(n);
}

// Finishes a call whose caller waits between quanta (bounded by the provider's budget), so the
// provider is never left in the middle of a handler. `deliver`: the caller gets the reply.
void ServiceHub::drain(Member& provider, bool deliver) {
  Member* caller = provider.serving;
  if (caller == nullptr) return;
  const Execution* waiting = caller->pending.execution;
  std::optional<std::int32_t> r;
  while (!(r = continue_call(*caller))) {
  }
  if (deliver && caller->id) {
    caller->pending.active = true;  // handed to the caller when it resumes
    caller->pending.execution = waiting;
    caller->pending.result = *r;
  }
}

// A caller that can no longer resume (stopped, faulted, re-instantiated) must not keep its
// provider busy: finish its call for the provider's sake.
void ServiceHub::reap(Member& provider) {
  Member* caller = provider.serving;
  if (caller == nullptr || caller->pending.result) return;
  // Stopped or faulted: the scheduler abandoned the execution that was waiting. (A caller
  // without a task, e.g. an embedder invoking an export, may still resume: leave it.)
  const auto info = caller->id ? scheduler_.info(*caller->id) : std::nullopt;
  const bool gone = !info || info->task_state == sched::TaskState::kStopped ||
                    info->task_state == sched::TaskState::kFaulted;
  if (gone) drain(provider, false);
}

void ServiceHub::instance_replaced(Member& m) {
  // The scheduler re-instantiated m (its restart policy). A call it was serving ran in the old
  // instance: abandon it, its caller gets kFault. A call it was making is finished for the
  // provider's sake.
  if (Member* caller = m.serving) {
    m.server->abandon();
    m.serving = nullptr;
    caller->pending.result = static_cast<std::int32_t>(CallError::kFault);
  }
  if (m.pending.active && !m.pending.result) drain(*m.pending.provider, false);
  m.pending = Member::Pending{};
}

void ServiceHub::provider_failed(Member& p, std::string what) {
  p.failed = true;
  p.last_fault = what;
  for (Member::Offer& o : p.offers) o.ready = false;
  const sched::ContainerId id = *p.id;
  scheduler_.trace().add({scheduler_.platform().now(), 0, sched::TraceKind::kContainerFault, id,
                          0, "service call: " + what});
  // The policy runs as deferred work, outside the caller's slice: the caller is still running.
  const std::string name = p.name;
  switch (p.options.fault_policy) {
    case sched::FaultPolicy::kDisable:
      scheduler_.post_deferred([this, id] { scheduler_.stop(id); }, scheduler_.costs().dispatch);
      break;
    case sched::FaultPolicy::kNotify:
      // Its services stay withdrawn until its code calls ready again; its task is told.
      scheduler_.post_event(id, sched::kEventFault);
      break;
    case sched::FaultPolicy::kRestart:
      scheduler_.post_deferred(
          [this, name] {
            Member* m = find(name);
            if (m == nullptr || !m->failed) return;
            const std::vector<std::uint8_t> bytes = m->bytes;
            const std::string source = m->source;
            const sched::DriverOptions options = m->options;
            const std::uint64_t restarts = m->restarts + 1;
            const std::string fault = m->last_fault;
            if (m->pending.active && !m->pending.result) drain(*m->pending.provider, false);
            scheduler_.remove(*m->id);
            detach(*m);
            std::string error;
            auto fresh = prepare(bytes, source, options, registry_, nullptr, &error);
            if (fresh && commit(std::move(*fresh), true, &error)) {
              Member* again = find(name);
              again->restarts = restarts;
              again->last_fault = fault;
            }
          },
          scheduler_.costs().dispatch);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

std::optional<sched::ContainerId> ServiceHub::id_of(std::string_view container) const {
  const Member* m = find(container);
  return m ? m->id : std::nullopt;
}

std::uint64_t ServiceHub::provider_restarts(std::string_view container) const {
  const Member* m = find(container);
  return m ? m->restarts : 0;
}

std::string ServiceHub::last_fault(std::string_view container) const {
  const Member* m = find(container);
  return m ? m->last_fault : std::string();
}

std::vector<ServiceInfo> ServiceHub::services() const {
  std::vector<ServiceInfo> out;
  for (const auto& [name, s] : services_) out.push_back(*service(name));
  return out;
}

std::optional<ServiceInfo> ServiceHub::service(std::string_view name) const {
  auto it = services_.find(name);
  if (it == services_.end()) return std::nullopt;
  const Service& s = *it->second;
  ServiceInfo info;
  info.name = s.name;
  info.version = s.version;
  info.stats = s.stats;
  if (s.provider != nullptr) info.provider = s.provider->name;
  if (s.updating) {
    info.state = ServiceState::kUpdating;
  } else if (s.provider == nullptr) {
    info.state = ServiceState::kNoProvider;
  } else if (s.provider->failed || !s.provider->offers[s.offer].ready) {
    info.state = ServiceState::kNotReady;
  } else {
    info.state = ServiceState::kReady;
  }
  return info;
}

}  // namespace wasmio::services
