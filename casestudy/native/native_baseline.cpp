#include "native_baseline.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "io/container/bus_pins.h"
#include "io/manifest/manifest_parser.h"

// The drivers' entry points, compiled natively from the container sources.
extern "C" {
void sensor_start(void);
void uart_main(void);
void timer_main(void);
void flash_start(void);
std::int32_t app_init(void);
void app_period(void);
void app_set_flat_out(std::uint32_t on);
std::int32_t wasmio__svc_on_temperature(std::uint32_t, std::uint32_t);
std::int32_t wasmio__svc_on_frames(std::uint32_t, std::uint32_t);
std::int32_t wasmio__svc_on_ticks(std::uint32_t, std::uint32_t);
std::int32_t wasmio__svc_on_log(std::uint32_t, std::uint32_t);
void wasmio__irq_proto_rx_irq(void);
void wasmio__irq_proto_tx_irq(void);
void wasmio__irq_tick_irq(void);
}

namespace wasmio::casestudy {

namespace {

struct Driver {
  std::string name;
  io::ContainerBinding binding;
};

struct Provided {
  std::string name;
  Driver* driver = nullptr;
  std::int32_t (*handler)(std::uint32_t, std::uint32_t) = nullptr;
  std::uint8_t* buffer = nullptr;
  std::uint32_t capacity = 0;
};

struct Native {
  NativeBaseline* owner = nullptr;
  io::sim::SimBoard* board = nullptr;
  sched::Scheduler* scheduler = nullptr;
  std::vector<std::unique_ptr<Driver>> drivers;
  Driver* current = nullptr;
  int e0_depth = 0;  // inside a native interrupt handler: its cost is fixed, not consumed
  std::uint64_t accesses = 0;
  std::vector<Provided> services;
};

Native* g = nullptr;  // the one native run of this process
constexpr std::size_t kApplication = 4;  // drivers[]: timer, UART, sensor, flash log, application

void charge(sched::Cycles cycles) {
  if (g->e0_depth == 0) g->scheduler->platform().consume(cycles);
}

const io::GrantedWindow* window(std::int32_t handle) {
  if (g->current == nullptr || handle < 0 ||
      static_cast<std::size_t>(handle) >= g->current->binding.windows.size()) {
    return nullptr;
  }
  return &g->current->binding.windows[static_cast<std::size_t>(handle)];
}

std::uint64_t reg_read(std::int32_t handle, std::uint32_t offset, unsigned width) {
  const io::GrantedWindow* w = window(handle);
  if (w == nullptr || offset + width > w->size) return 0;  // a native driver is trusted
  ++g->accesses;
  charge(kNativeAccessCycles);
  return g->board->read(w->address + offset, width).value;
}

void reg_write(std::int32_t handle, std::uint32_t offset, unsigned width, std::uint64_t value) {
  const io::GrantedWindow* w = window(handle);
  if (w == nullptr || offset + width > w->size) return;
  ++g->accesses;
  charge(kNativeAccessCycles);
  g->board->write(w->address + offset, width, value);
}

// Runs driver code as `d` (its windows and lines), restoring the caller's context afterwards.
template <typename F>
auto as(Driver* d, F&& f) {
  Driver* saved = g->current;
  g->current = d;
  charge(kNativeCallCycles);
  if constexpr (std::is_void_v<decltype(f())>) {
    f();
    g->current = saved;
  } else {
    auto r = f();
    g->current = saved;
    return r;
  }
}

struct Irq {
  const char* handler;
  void (*function)(void);
};
const Irq kIrqs[] = {{"proto_rx_irq", &wasmio__irq_proto_rx_irq},
                     {"proto_tx_irq", &wasmio__irq_proto_tx_irq},
                     {"tick_irq", &wasmio__irq_tick_irq}};

struct Handler {
  const char* name;
  std::int32_t (*function)(std::uint32_t, std::uint32_t);
};
const Handler kHandlers[] = {{"sensor.temperature", &wasmio__svc_on_temperature},
                             {"uart.frames", &wasmio__svc_on_frames},
                             {"clock.ticks", &wasmio__svc_on_ticks},
                             {"storage.log", &wasmio__svc_on_log}};

void on_native_irq(void* context, std::uint32_t line, sched::Cycles) {
  auto* d = static_cast<Driver*>(context);
  for (const io::GrantedIrq& irq : d->binding.irqs) {
    if (irq.line != line) continue;
    for (const Irq& i : kIrqs) {
      if (irq.handler == i.handler) {
        ++g->e0_depth;
        as(d, i.function);
        --g->e0_depth;
      }
    }
  }
  g->scheduler->platform().complete(line);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The SDK's imports, natively (signatures from sdk/include/wasmio/{driver,irq,service}.h)
// ---------------------------------------------------------------------------------------------

extern "C" {

std::int32_t wasmio_host_window_handle(const char* label, std::uint32_t length,
                                       std::uint32_t index) {
  const std::string_view l(label, length);
  const auto& windows = g->current->binding.windows;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    if (windows[i].label == l && windows[i].index == index) return static_cast<std::int32_t>(i);
  }
  return -1;
}
std::uint32_t wasmio_host_window_base(std::int32_t) { return 0; }
std::uint32_t wasmio_host_reg_read8(std::int32_t h, std::uint32_t o) { return reg_read(h, o, 1); }
std::uint32_t wasmio_host_reg_read16(std::int32_t h, std::uint32_t o) { return reg_read(h, o, 2); }
std::uint32_t wasmio_host_reg_read32(std::int32_t h, std::uint32_t o) { return reg_read(h, o, 4); }
std::uint64_t wasmio_host_reg_read64(std::int32_t h, std::uint32_t o) { return reg_read(h, o, 8); }
void wasmio_host_reg_write8(std::int32_t h, std::uint32_t o, std::uint32_t v) { reg_write(h, o, 1, v); }
void wasmio_host_reg_write16(std::int32_t h, std::uint32_t o, std::uint32_t v) { reg_write(h, o, 2, v); }
void wasmio_host_reg_write32(std::int32_t h, std::uint32_t o, std::uint32_t v) { reg_write(h, o, 4, v); }
void wasmio_host_reg_write64(std::int32_t h, std::uint32_t o, std::uint64_t v) { reg_write(h, o, 8, v); }
std::int32_t wasmio_host_shadow_pull(std::int32_t, std::uint32_t, std::uint32_t, void*) { return -1; }
std::int32_t wasmio_host_shadow_push(std::int32_t, std::uint32_t, std::uint32_t, const void*) { return -1; }
std::int32_t wasmio_host_property_read(const char* label, std::uint32_t label_length,
                                       const char* name, std::uint32_t name_length, void* dst,
                                       std::uint32_t dst_length) {
  for (const io::GrantedProperty& p : g->current->binding.properties) {
    if (p.label != std::string_view(label, label_length) ||
        p.name != std::string_view(name, name_length)) {
      continue;
    }
    std::memcpy(dst, p.value.data(), std::min<std::size_t>(dst_length, p.value.size()));
    return static_cast<std::int32_t>(p.value.size());
  }
  return -1;
}

std::int32_t wasmio_irq_line(std::uint32_t n) {
  const auto& irqs = g->current->binding.irqs;
  return n < irqs.size() ? static_cast<std::int32_t>(irqs[n].line) : -1;
}
std::int32_t wasmio_irq_line_named(const char* name, std::uint32_t length) {
  for (const io::GrantedIrq& irq : g->current->binding.irqs) {
    if (irq.handler == std::string_view(name, length)) return static_cast<std::int32_t>(irq.line);
  }
  return -1;
}
// A native driver's line becomes a native E0 handler with the cost of its typical activation.
void wasmio_irq_enable(std::int32_t line) {
  for (const io::GrantedIrq& irq : g->current->binding.irqs) {
    if (irq.line != static_cast<std::uint32_t>(line)) continue;
    const sched::Cycles accesses = irq.handler == "tick_irq" ? 1 : irq.handler == "proto_tx_irq" ? 2 : 3;
    sched::NativeHandler h;
    h.function = &on_native_irq;
    h.context = g->current;
    h.cost = kNativeCallCycles + accesses * kNativeAccessCycles;
    g->scheduler->attach_native(irq.line, irq.priority, h);
  }
}
void wasmio_irq_disable(std::int32_t line) { g->scheduler->platform().mask(static_cast<std::uint32_t>(line)); }
void wasmio_irq_acknowledge(std::int32_t line) {
  g->scheduler->platform().clear_pending(static_cast<std::uint32_t>(line));
}
void wasmio_event_post(std::uint32_t) {}
std::uint32_t wasmio_event_poll(std::uint32_t) { return 0; }
// Not reached: the baseline calls the drivers' start and period functions, never a blocking
// main; a wait that returned would be a busy loop, so it aborts loudly.
std::uint32_t wasmio_event_wait(std::uint32_t) { std::abort(); }
void wasmio_task_wait_period(void) {}
std::int64_t wasmio_now_us(void) {
  const auto& p = g->scheduler->platform();
  return static_cast<std::int64_t>(p.now() * 1'000'000 / p.cycles_per_second());
}

std::int32_t wasmio_service_ready(const char* name, std::uint32_t length, void* buffer,
                                  std::uint32_t capacity) {
  for (const Handler& h : kHandlers) {
    if (std::string_view(h.name) != std::string_view(name, length)) continue;
    g->services.push_back({h.name, g->current, h.function, static_cast<std::uint8_t*>(buffer),
                           capacity});
    return 0;
  }
  return -1;
}
std::int32_t wasmio_service_withdraw(const char*, std::uint32_t) { return 0; }
std::int32_t wasmio_service_open(const char* name, std::uint32_t length, std::uint32_t,
                                 std::uint32_t) {
  for (std::size_t i = 0; i < std::size(kHandlers); ++i) {
    if (std::string_view(kHandlers[i].name) == std::string_view(name, length)) {
      return static_cast<std::int32_t>(i);
    }
  }
  return -1;
}
// A direct call: the same copies as the service path (the drivers' code expects its buffer),
// no checks, no budget.
std::int32_t wasmio_service_call(std::int32_t handle, std::uint32_t op, const void* request,
                                 std::uint32_t request_length, void* reply,
                                 std::uint32_t reply_capacity) {
  if (handle < 0 || static_cast<std::size_t>(handle) >= std::size(kHandlers)) return -10;
  const Provided* p = nullptr;
  for (const Provided& s : g->services) {
    if (s.name == kHandlers[handle].name) p = &s;
  }
  if (p == nullptr) return -3;
  if (request_length != 0) std::memcpy(p->buffer, request, request_length);
  const std::int32_t n = as(p->driver, [&] { return p->handler(op, request_length); });
  if (n < 0) return -256 + n;
  if (static_cast<std::uint32_t>(n) > reply_capacity) return -6;
  if (n != 0) std::memcpy(reply, p->buffer, static_cast<std::size_t>(n));
  return n;
}

}  // extern "C"

// ---------------------------------------------------------------------------------------------

std::unique_ptr<NativeBaseline> NativeBaseline::create(const ScenarioOptions& options,
                                                       std::string* error) {
  if (g != nullptr) {
    *error = "the native baseline runs once per process (its drivers keep static state)";
    return nullptr;
  }
  std::unique_ptr<NativeBaseline> b(new NativeBaseline());
  b->options_ = options;
  b->session_ = io::BoardSession::open_file(options.board_dtb, error);
  if (!b->session_) return nullptr;
  b->platform_ = std::make_unique<sched::SimPlatform>(b->session_->board());
  b->scheduler_ = std::make_unique<sched::Scheduler>(*b->platform_);
  b->uart_ = b->board().find_as<io::sim::CmsdkUart>("uart0");
  auto* tmp105 = b->board().find_as<io::sim::Tmp105>("tmp105");
  if (b->uart_ == nullptr || tmp105 == nullptr) {
    *error = options.board_dtb + ": no uart0 or tmp105 on this board";
    return nullptr;
  }
  tmp105->set_temperature_mc(options.temperature_mc);
  static Native native;
  native = Native{};
  g = &native;
  g->owner = b.get();
  g->board = &b->board();
  g->scheduler = b->scheduler_.get();
  // Bound by the containers' own manifests (the same sources), through the same binder.
  for (const char* file : {"cs_tick_timer.wasm", "cs_uart_proto.wasm", "cs_sensor.wasm",
                           "cs_flash_log.wasm", "cs_report_app.wasm"}) {
    const auto bytes = read_file(options.containers_dir + "/" + file, error);
    if (bytes.empty()) return nullptr;
    auto module = Module::load(bytes);
    if (!module) {
      *error = std::string(file) + ": not a module";
      return nullptr;
    }
    auto d = std::make_unique<Driver>();
    for (std::uint32_t i = 0; i < (*module)->custom_section_count(); ++i) {
      const CustomSection s = (*module)->custom_section(i);
      if (s.name != io::kManifestSectionName) continue;
      io::ManifestParseResult parsed = io::parse_manifest(s.bytes);
      if (!parsed) {
        *error = std::string(file) + ": " + parsed.error().message();
        return nullptr;
      }
      const io::Manifest manifest = std::move(parsed).manifest();
      d->name = manifest.driver;
      io::GrantRegistry& registry = b->session_->registry();
      io::BindResult bound = registry.bind(
          d->name, manifest, io::with_bus_pins(manifest, registry.board(), io::Deployment{}));
      if (!bound) {
        *error = std::string(file) + ": " + bound.refusal().message();
        return nullptr;
      }
      d->binding = bound.binding();
    }
    g->drivers.push_back(std::move(d));
  }
  // Start-up in the containers' order: timer, UART, sensor, flash log, then the application.
  as(g->drivers[0].get(), timer_main);
  as(g->drivers[1].get(), uart_main);
  as(g->drivers[2].get(), sensor_start);
  as(g->drivers[3].get(), flash_start);
  app_set_flat_out(options.flat_out ? 1 : 0);
  if (as(g->drivers[kApplication].get(), app_init) != 0) {
    *error = "native application: a service is missing";
    return nullptr;
  }
  b->next_release_ = b->board().clock().cycles_from_ms(options.period_ms);
  return b;
}

NativeBaseline::~NativeBaseline() {
  scheduler_.reset();
  if (g != nullptr && g->owner == this) g->owner = nullptr;  // stays claimed: statics are used
}

std::uint64_t NativeBaseline::register_accesses() const { return g->accesses; }

void NativeBaseline::run_ms(std::uint64_t ms) {
  const sched::Cycles until = scheduler_->platform().now() + board().clock().cycles_from_ms(ms);
  Driver* app = g->drivers[kApplication].get();
  if (options_.flat_out) {
    // Back to back: each job reports once and posts the next (E1/2 deferred work).
    struct Loop {
      static void job(NativeBaseline* b, Driver* app, sched::Cycles until) {
        as(app, app_period);
        if (b->scheduler().platform().now() < until) {
          b->scheduler().post_deferred([b, app, until] { job(b, app, until); }, 0);
        }
      }
    };
    scheduler_->post_deferred([this, app, until] { Loop::job(this, app, until); }, 0);
    scheduler_->run_until(until);
    return;
  }
  // Periodic: the job is released every period, like the container's periodic task.
  while (next_release_ <= until) {
    scheduler_->run_until(next_release_);
    scheduler_->post_deferred([app] { as(app, app_period); }, 0);
    next_release_ += board().clock().cycles_from_ms(options_.period_ms);
  }
  scheduler_->run_until(until);
}

}  // namespace wasmio::casestudy
