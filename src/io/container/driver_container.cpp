#include "driver_container.h"

#include <algorithm>

#include "../access/mapped_path.h"
#include "../bind/guest_abi.h"
#include "../bind/module_check.h"
#include "../manifest/manifest_parser.h"
#include "../manifest/text.h"
#include "bus_pins.h"

namespace wasmio::io {

std::string describe_engine_error(const Error& error) {
  std::string s = std::string(phase_name(error.phase())) + " error";
  if (error.phase() == Phase::kDecode || error.phase() == Phase::kValidate) {
    s += " at byte " + text::hex(error.offset);
  }
  s += ": ";
  s += error.message();
  if (error.phase() == Phase::kLink && error.index != Error::kNoIndex) {
    s += " (import " + std::to_string(error.index) + ")";
  }
  return s;
}

namespace {

ContainerLoad failed(LoadFailure stage, std::string message) {
  ContainerLoad load;
  load.failure = stage;
  load.error = std::move(message);
  return load;
}

}  // namespace

ContainerLoad DriverContainer::load(std::span<const std::uint8_t> bytes,
                                    std::string_view source_name, GrantRegistry& registry,
                                    WindowSource& windows, ContainerOptions options) {
  const std::string source(source_name);
  std::unique_ptr<DriverContainer> c(new DriverContainer());
  c->source_name_ = source;
  c->registry_ = &registry;

  // 1. The module.
  LoadOptions load_options;
  load_options.copy_bytes = options.copy_bytes;
  auto module = Module::load(bytes, load_options);
  if (!module) {
    return failed(LoadFailure::kModule,
                  source + ": not a loadable module: " + describe_engine_error(module.error()));
  }
  c->module_ = std::move(*module);
  const Module& m = *c->module_;

  // 2. The manifest: at most one section, well formed.
  std::optional<CustomSection> section;
  for (std::uint32_t i = 0; i < m.custom_section_count(); ++i) {
    const CustomSection s = m.custom_section(i);
    if (s.name != kManifestSectionName) continue;
    if (section) {
      return failed(LoadFailure::kManifest,
                    source + ": two " + std::string(kManifestSectionName) +
                        " sections (at byte " + text::hex(section->offset) + " and " +
                        text::hex(s.offset) + "); a driver has one manifest");
    }
    section = s;
  }
  if (section) {
    ManifestParseResult parsed = parse_manifest(section->bytes);
    if (!parsed) {
      return failed(LoadFailure::kManifest, source + ": " + parsed.error().message());
    }
    c->manifest_ = std::move(parsed).manifest();
  }
  const Manifest* manifest = c->manifest();

  // 3. The code agrees with the manifest.
  std::vector<ImportInfo> imports;
  std::vector<ExportInfo> exports;
  for (std::uint32_t i = 0; i < m.import_count(); ++i) imports.push_back(m.import(i));
  for (std::uint32_t i = 0; i < m.export_count(); ++i) exports.push_back(m.export_(i));
  const ModuleCheckResult check = check_driver_module(imports, exports, manifest);
  if (!check) {
    std::string text = source + ": refused:";
    for (const std::string& p : check.problems) text += "\n  " + p;
    return failed(LoadFailure::kCheck, text);
  }
  for (const ImportInfo& import : imports) {
    if (import.module != kGuestImportModule &&
        (options.extra_import_module.empty() || import.module != options.extra_import_module)) {
      return failed(LoadFailure::kCheck,
                    source + ": refused: imports " + std::string(import.module) + "." +
                        std::string(import.name) +
                        "; a driver container provides only module \"wasmio\"");
    }
  }

  // 4. Binding: everything the manifest needs, or nothing.
  c->name_ = !options.name.empty() ? options.name
             : manifest != nullptr ? manifest->driver
                                   : source;
  if (manifest != nullptr) {
    const Deployment deployment =
        with_bus_pins(*manifest, registry.board(), std::move(options.deployment));
    BindResult bound = registry.bind(c->name_, *manifest, deployment);
    if (!bound) {
      ContainerLoad load = failed(LoadFailure::kBinding, source + ": " + bound.refusal().message());
      load.refusal = bound.refusal();
      return load;
    }
    c->binding_ = bound.binding();
    c->bound_ = true;  // from here on the destructor releases the grants on any failure
  } else {
    c->binding_.container = c->name_;
  }
  c->io_.set_binding(&c->binding_);
  if (manifest != nullptr && manifest->access_path == AccessPath::kMapped) {
    c->io_.set_map_range(manifest->map_base, manifest->map_size);
  }

  // 5. A backend window per grant.
  for (const GrantedWindow& g : c->binding_.windows) {
    GuestWindow w;
    std::string error;
    if (!windows.open(g, &w.registers, &error)) {
      return failed(LoadFailure::kBackend, source + ": " + error);
    }
    w.widths = g.widths;
    w.guest_address = g.guest_address;
    w.label = g.label;
    w.index = g.index;
    w.volatile_ranges = g.volatile_ranges;
    c->io_.add(std::move(w));
  }

  // 6. Store, imports, instance.
  const AccessPath path = manifest != nullptr ? manifest->access_path : AccessPath::kHostCall;
  InstanceLimits limits = options.limits;
  if (path == AccessPath::kMapped) {
    // Linear memory must never grow into the map range, whatever the module declares.
    const std::uint32_t cap = manifest->map_base / 65536;
    limits.max_memory_pages = std::min(limits.max_memory_pages, cap);
  }
  c->store_ = std::make_unique<Store>();
  c->execution_ = std::make_unique<Execution>(options.execution);
  std::vector<Extern> externs;
  std::string error;
  if (!host_call_imports(c->io_, path, *c->store_, m, &externs, &error)) {
    return failed(LoadFailure::kCheck, source + ": refused: " + error);
  }
  c->extension_ = std::move(options.extension);
  if (options.extra_imports && !options.extra_imports(*c->store_, m, c->binding_, externs, &error)) {
    return failed(LoadFailure::kCheck, source + ": refused: " + error);
  }
  InstanceOptions instance_options;
  instance_options.limits = limits;
  instance_options.execution = c->execution_.get();
  auto instance = c->store_->instantiate(m, externs, instance_options);
  if (!instance) {
    std::string text = source + ": cannot instantiate: " + describe_engine_error(instance.error());
    if (c->io_.fault().happened) text += ": " + c->io_.fault().what;
    return failed(LoadFailure::kInstance, text);
  }
  if (c->execution_->state() == RunState::kSuspended) {
    c->execution_->abandon();
    return failed(LoadFailure::kInstance, source + ": the start function suspended");
  }
  c->instance_ = *instance;
  if (path == AccessPath::kMapped) {
    MemoryInstance* memory = c->instance_->memory(0);
    if (memory == nullptr) {
      return failed(LoadFailure::kInstance,
                    source + ": refused: the mapped access path needs a linear memory");
    }
    // The engine refuses windows that overlap linear memory or each other, or are misaligned
    // for their widest access: the driver must not start with windows it cannot reach.
    if (!Store::set_out_of_bounds_handler(memory, mapped_path_handler(c->io_))) {
      return failed(LoadFailure::kInstance,
                    source + ": refused: its mapped windows cannot be placed in its address "
                             "space (overlapping linear memory or each other, or misaligned)");
    }
  }
  ContainerLoad load;
  load.container = std::move(c);
  return load;
}

DriverContainer::~DriverContainer() {
  // The extension (e.g. async transfers on this container's memory) stops first; then the store
  // (and its host functions) go before the grants they used.
  extension_.reset();
  instance_ = nullptr;
  execution_.reset();
  store_.reset();
  if (bound_) registry_->unbind(name_);
}

bool DriverContainer::exports_function(std::string_view name) const {
  return instance_ != nullptr && instance_->exported_function(name) != nullptr;
}

CallResult DriverContainer::call(std::string_view export_name, std::span<const Value> args,
                                 std::optional<std::uint64_t> fuel) {
  CallResult result;
  FunctionInstance* function = instance_->exported_function(export_name);
  if (function == nullptr) {
    result.error = make_error(ErrorCode::kExportNotFound);
    result.message = "driver '" + name_ + "' exports no function \"" + std::string(export_name) +
                     "\"";
    return result;
  }
  io_.clear_fault();
  if (fuel) execution_->set_fuel(*fuel);
  auto state = execution_->invoke(function, args);
  if (state && *state == RunState::kReturned) {
    result.ok = true;
    const auto values = execution_->results();
    result.results.assign(values.begin(), values.end());
    return result;
  }
  if (state) {  // suspended: drivers run to completion here
    execution_->abandon();
    result.error = make_error(ErrorCode::kNotResumable);
    result.message = "driver '" + name_ + "': \"" + std::string(export_name) +
                     "\" suspended instead of returning";
    return result;
  }
  result.error = state.error();
  // The mapped path's refusals reach the interpreter as out-of-bounds accesses; the recorded
  // fault says it was a register access the container was not granted.
  if (io_.fault().happened) result.error.code = ErrorCode::kAccessViolation;
  result.message = "driver '" + name_ + "': trap: " + result.error.message();
  if (io_.fault().happened) result.message += ": " + io_.fault().what;
  for (const BacktraceFrame& f : execution_->backtrace()) {
    result.message += "\n  at func[";
    result.message += std::to_string(f.function_index);
    result.message += "]";
    if (!f.name.empty()) {
      result.message += ' ';
      result.message += f.name;
    }
    result.message += " (byte ";
    result.message += text::hex(f.code_offset);
    result.message += ')';
  }
  return result;
}

}  // namespace wasmio::io
