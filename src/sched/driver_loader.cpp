#include "driver_loader.h"

#include "io/access/host_call_path.h"
#include "io/access/mapped_path.h"
#include "io/bind/guest_abi.h"
#include "io/bind/module_check.h"
#include "io/container/bus_pins.h"
#include "io/container/driver_container.h"
#include "io/manifest/manifest_parser.h"
#include "scheduler_internal.h"

namespace wasmio::sched {

struct DriverGrants {
  io::GrantRegistry* registry = nullptr;
  std::string name;
  bool bound = false;
  io::Manifest manifest;
  io::ContainerBinding binding;
  io::GuestWindows io;  // host functions point here: never moves (heap, shared)
  ~DriverGrants() {
    if (bound) registry->unbind(name);
  }
};

DriverLoad load_driver(std::span<const std::uint8_t> bytes, std::string_view source_name,
                       io::GrantRegistry& registry, io::WindowSource& windows,
                       std::uint64_t cycles_per_second, const DriverOptions& options) {
  DriverLoad out;
  const std::string source(source_name);
  auto module = Module::load(bytes);
  if (!module) {
    out.error = source + ": not a loadable module: " + io::describe_engine_error(module.error());
    return out;
  }
  std::shared_ptr<const Module> m(std::move(*module));

  auto grants = std::make_shared<DriverGrants>();
  bool have_manifest = false;
  for (std::uint32_t i = 0; i < m->custom_section_count(); ++i) {
    const CustomSection s = m->custom_section(i);
    if (s.name != io::kManifestSectionName) continue;
    if (have_manifest) {
      out.error = source + ": two manifest sections; a driver has one";
      return out;
    }
    io::ManifestParseResult parsed = io::parse_manifest(s.bytes);
    if (!parsed) {
      out.error = source + ": " + parsed.error().message();
      return out;
    }
    grants->manifest = std::move(parsed).manifest();
    have_manifest = true;
  }
  std::vector<ImportInfo> imports;
  std::vector<ExportInfo> exports;
  for (std::uint32_t i = 0; i < m->import_count(); ++i) imports.push_back(m->import(i));
  for (std::uint32_t i = 0; i < m->export_count(); ++i) exports.push_back(m->export_(i));
  const io::ModuleCheckResult check =
      io::check_driver_module(imports, exports, have_manifest ? &grants->manifest : nullptr);
  if (!check) {
    out.error = source + ": refused:";
    for (const std::string& p : check.problems) out.error += "\n  " + p;
    return out;
  }
  for (const ImportInfo& import : imports) {
    if (import.module != io::kGuestImportModule && import.module != kIrqImportModule &&
        (options.extra_import_module.empty() || import.module != options.extra_import_module)) {
      out.error = source + ": refused: imports " + std::string(import.module) + "." +
                  std::string(import.name) + "; a driver gets modules \"wasmio\" and \"wasmio_irq\"";
      return out;
    }
  }

  grants->registry = &registry;
  grants->name = !options.name.empty() ? options.name
                 : have_manifest       ? grants->manifest.driver
                                       : source;
  const io::AccessPath path = have_manifest ? grants->manifest.access_path
                                            : io::AccessPath::kHostCall;
  if (have_manifest) {
    const io::Deployment deployment =
        io::with_bus_pins(grants->manifest, registry.board(), options.deployment);
    io::BindResult bound = registry.bind(grants->name, grants->manifest, deployment);
    if (!bound) {
      out.error = source + ": " + bound.refusal().message();
      return out;
    }
    grants->binding = bound.binding();
    grants->bound = true;
  } else {
    grants->binding.container = grants->name;
  }
  grants->io.set_binding(&grants->binding);
  if (path == io::AccessPath::kMapped) {
    grants->io.set_map_range(grants->manifest.map_base, grants->manifest.map_size);
  }
  for (const io::GrantedWindow& g : grants->binding.windows) {
    io::GuestWindow w;
    std::string error;
    if (!windows.open(g, &w.registers, &error)) {
      out.error = source + ": " + error;
      return out;
    }
    w.widths = g.widths;
    w.guest_address = g.guest_address;
    w.label = g.label;
    w.index = g.index;
    w.volatile_ranges = g.volatile_ranges;
    grants->io.add(std::move(w));
  }

  ContainerSpec spec;
  spec.name = grants->name;
  spec.module = m;
  spec.fault_policy = options.fault_policy;
  if (path == io::AccessPath::kMapped) {
    spec.limits.max_memory_pages =
        std::min(spec.limits.max_memory_pages, grants->manifest.map_base / 65536);
  }
  for (const io::GrantedIrq& irq : grants->binding.irqs) {
    HandlerSpec h;
    h.line = irq.line;
    h.export_name = irq.handler;
    h.priority = irq.priority;
    h.budget_fuel = irq.budget;
    std::uint32_t min_us = irq.min_interarrival_us;
    h.arrival = options.arrival;
    for (const IrqOverride& o : options.overrides) {
      if (o.handler != irq.handler) continue;
      if (o.priority) h.priority = *o.priority;
      if (o.budget_fuel) h.budget_fuel = *o.budget_fuel;
      if (o.min_interarrival_us) min_us = *o.min_interarrival_us;
      if (o.arrival) h.arrival = *o.arrival;
    }
    h.min_interarrival = static_cast<Cycles>(min_us) * cycles_per_second / 1'000'000;
    spec.handlers.push_back(std::move(h));
  }
  for (const ExportInfo& e : exports) {
    if (e.name == options.task_export && e.kind == ExternKind::kFunction) {
      TaskSpec t;
      t.export_name = options.task_export;
      t.priority = options.task_priority;
      t.period = options.task_period;
      spec.task = t;
    }
  }
  spec.imports = [grants, path, extra = options.extra_imports](
                     Store& store, const Module& module, std::vector<Extern>& externs,
                     std::string* error) {
    if (!io::host_call_imports(grants->io, path, store, module, &externs, error)) return false;
    return !extra || extra(store, module, externs, error);
  };
  if (path == io::AccessPath::kMapped) {
    // The engine refuses windows that overlap linear memory or each other, or are misaligned:
    // the container must not start with windows its guest cannot reach.
    spec.on_instance = [grants](Instance& instance, std::string* error) {
      MemoryInstance* memory = instance.memory(0);
      if (memory == nullptr) {
        *error = "refused: the mapped access path needs a linear memory";
        return false;
      }
      if (!Store::set_out_of_bounds_handler(memory, io::mapped_path_handler(grants->io))) {
        *error = "refused: its mapped windows cannot be placed in its address space "
                 "(overlapping linear memory or each other, or misaligned)";
        return false;
      }
      return true;
    };
  }
  out.spec = std::move(spec);
  return out;
}

}  // namespace wasmio::sched
