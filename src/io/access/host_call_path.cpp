#include "host_call_path.h"

#include <cstring>

#include "../bind/guest_abi.h"
#include "../manifest/text.h"
#include "copy_path.h"

namespace wasmio::io {

bool GuestWindow::is_volatile(std::uint64_t offset, std::uint64_t length) const {
  for (const VolatileRange& r : volatile_ranges) {
    if (offset < std::uint64_t{r.offset} + r.length && r.offset < offset + length) return true;
  }
  return false;
}

namespace {

std::string describe_access(const char* via, std::int64_t handle, std::uint64_t offset,
                            const GuestWindow* w) {
  std::string s = std::string(via) + "(handle " + std::to_string(handle) + ", offset " +
                  text::hex(offset) + ")";
  if (w != nullptr) {
    s += " on window " + std::to_string(w->index) + " of '" + w->label + "' (" +
         text::hex(w->registers.size()) + " bytes)";
  }
  return s;
}

}  // namespace

void GuestWindows::record_fault(std::string what) {
  fault_.happened = true;
  fault_.what = std::move(what);
}

RegRead GuestWindows::read(std::int64_t handle, std::uint64_t offset, unsigned width,
                           const char* via) {
  const GuestWindow* w = find(handle);
  if (w == nullptr) {
    record_fault(describe_access(via, handle, offset, nullptr) + ": no window has this handle");
    return RegRead{0, RegStatus::kOutOfWindow};
  }
  RegStatus s = w->check(offset, width);
  if (s == RegStatus::kOk) {
    const RegRead r = w->registers.read(offset, width);
    if (r.ok()) return r;
    s = r.status;
  }
  record_fault(describe_access(via, handle, offset, w) + ": " + reg_status_name(s));
  return RegRead{0, s};
}

RegStatus GuestWindows::write(std::int64_t handle, std::uint64_t offset, unsigned width,
                              std::uint64_t value, const char* via) {
  const GuestWindow* w = find(handle);
  if (w == nullptr) {
    record_fault(describe_access(via, handle, offset, nullptr) + ": no window has this handle");
    return RegStatus::kOutOfWindow;
  }
  RegStatus s = w->check(offset, width);
  if (s == RegStatus::kOk) s = w->registers.write(offset, width, value);
  if (s != RegStatus::kOk) {
    record_fault(describe_access(via, handle, offset, w) + ": " + reg_status_name(s));
  }
  return s;
}

std::span<std::uint8_t> guest_bytes(const HostCall& call, std::uint32_t pointer,
                                    std::uint32_t length) {
  const std::span<std::uint8_t> memory = call.memory();
  if (pointer > memory.size() || memory.size() - pointer < length) return {};
  return memory.subspan(pointer, length);
}

namespace {

GuestWindows& io_of(HostCall& call) { return *static_cast<GuestWindows*>(call.user_data); }

HostStatus violation(HostCall& call, std::string what) {
  io_of(call).record_fault(std::move(what));
  return call.fail(ErrorCode::kAccessViolation);
}

// A guest string argument; false when it is not inside the caller's memory.
bool guest_string(const HostCall& call, unsigned pointer_arg, std::string_view* out) {
  const std::uint32_t length = call.arg_i32(pointer_arg + 1);
  const std::span<std::uint8_t> bytes = guest_bytes(call, call.arg_i32(pointer_arg), length);
  if (bytes.size() != length) return false;
  *out = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return true;
}

// (label_ptr, label_len, index) -> handle, or -1 for an optional peripheral the board lacks.
HostStatus window_handle(HostCall& call) {
  GuestWindows& io = io_of(call);
  std::string_view label;
  if (!guest_string(call, 0, &label)) {
    return violation(call, "window_handle: the label lies outside the driver's memory");
  }
  const std::uint32_t index = call.arg_i32(2);
  const ContainerBinding* b = io.binding();
  const BoundPeripheral* p = b != nullptr ? b->find(label) : nullptr;
  if (p == nullptr) {
    return violation(call, "window_handle('" + text::printable(label) +
                               "'): the manifest declares no such peripheral");
  }
  if (!p->present) {
    call.set_i32(0, static_cast<std::uint32_t>(-1));
    return HostStatus::kReturn;
  }
  const GrantedWindow* g = index <= 0xFF ? b->find_window(label, static_cast<std::uint8_t>(index))
                                         : nullptr;
  if (g == nullptr) {
    return violation(call, "window_handle('" + text::printable(label) + "', " +
                               std::to_string(index) +
                               "): the manifest declares no such window, so none was granted");
  }
  call.set_i32(0, g->handle);
  return HostStatus::kReturn;
}

// (handle) -> guest address of the window (mapped path).
HostStatus window_base(HostCall& call) {
  const std::int32_t handle = static_cast<std::int32_t>(call.arg_i32(0));
  const GuestWindow* w = io_of(call).find(handle);
  if (w == nullptr) {
    return violation(call, "window_base(handle " + std::to_string(handle) +
                               "): no window has this handle");
  }
  call.set_i32(0, w->guest_address);
  return HostStatus::kReturn;
}

constexpr const char* kReadNames[] = {"", "reg_read8", "reg_read16", "", "reg_read32",
                                      "", "",          "",           "reg_read64"};
constexpr const char* kWriteNames[] = {"", "reg_write8", "reg_write16", "", "reg_write32",
                                       "", "",           "",            "reg_write64"};

template <unsigned kWidth>
HostStatus reg_read(HostCall& call) {
  const std::int32_t handle = static_cast<std::int32_t>(call.arg_i32(0));
  const RegRead r = io_of(call).read(handle, call.arg_i32(1), kWidth, kReadNames[kWidth]);
  if (!r.ok()) return call.fail(ErrorCode::kAccessViolation);
  if constexpr (kWidth == 8) {
    call.set_i64(0, r.value);
  } else {
    call.set_i32(0, static_cast<std::uint32_t>(r.value));
  }
  return HostStatus::kReturn;
}

template <unsigned kWidth>
HostStatus reg_write(HostCall& call) {
  const std::int32_t handle = static_cast<std::int32_t>(call.arg_i32(0));
  std::uint64_t value = kWidth == 8 ? call.arg_i64(2) : call.arg_i32(2);
  // Narrow registers take the low bytes, as a store of that width does.
  if constexpr (kWidth < 8) value &= (std::uint64_t{1} << (8 * kWidth)) - 1;
  const RegStatus s = io_of(call).write(handle, call.arg_i32(1), kWidth, value, kWriteNames[kWidth]);
  if (s != RegStatus::kOk) return call.fail(ErrorCode::kAccessViolation);
  return HostStatus::kReturn;
}

// (label_ptr, label_len, name_ptr, name_len, dst_ptr, dst_len) -> full length, or -1 when the
// property was not granted (not declared, or the optional peripheral is absent).
HostStatus property_read(HostCall& call) {
  GuestWindows& io = io_of(call);
  std::string_view label;
  std::string_view name;
  if (!guest_string(call, 0, &label) || !guest_string(call, 2, &name)) {
    return violation(call, "property_read: a name lies outside the driver's memory");
  }
  const std::uint32_t dst_len = call.arg_i32(5);
  const std::span<std::uint8_t> dst = guest_bytes(call, call.arg_i32(4), dst_len);
  if (dst.size() != dst_len) {
    return violation(call, "property_read: the destination lies outside the driver's memory");
  }
  const ContainerBinding* b = io.binding();
  if (b != nullptr) {
    for (const GrantedProperty& p : b->properties) {
      if (p.label != label || p.name != name) continue;
      const std::size_t n = p.value.size() < dst.size() ? p.value.size() : dst.size();
      if (n != 0) std::memcpy(dst.data(), p.value.data(), n);
      call.set_i32(0, static_cast<std::uint32_t>(p.value.size()));
      return HostStatus::kReturn;
    }
  }
  call.set_i32(0, static_cast<std::uint32_t>(-1));
  return HostStatus::kReturn;
}

struct HostEntry {
  std::string_view name;
  HostFunction function;
};

constexpr HostEntry kHostFunctions[] = {
    {"window_handle", &window_handle},   {"window_base", &window_base},
    {"reg_read8", &reg_read<1>},         {"reg_read16", &reg_read<2>},
    {"reg_read32", &reg_read<4>},        {"reg_read64", &reg_read<8>},
    {"reg_write8", &reg_write<1>},       {"reg_write16", &reg_write<2>},
    {"reg_write32", &reg_write<4>},      {"reg_write64", &reg_write<8>},
    {"shadow_pull", &copy_path_pull},    {"shadow_push", &copy_path_push},
    {"property_read", &property_read},
};

}  // namespace

bool host_call_imports(GuestWindows& io, AccessPath path, Store& store, const Module& module,
                       std::vector<Extern>* out, std::string* error) {
  out->assign(module.import_count(), Extern{});
  for (std::uint32_t i = 0; i < module.import_count(); ++i) {
    const ImportInfo info = module.import(i);
    if (info.module != kGuestImportModule) continue;
    const std::string what = std::string(kGuestImportModule) + "." + std::string(info.name);
    const GuestImport* abi = find_guest_import(info.name);
    HostFunction function = nullptr;
    for (const HostEntry& e : kHostFunctions) {
      if (e.name == info.name) function = e.function;
    }
    if (abi == nullptr || function == nullptr || info.kind != ExternKind::kFunction) {
      *error = "imports " + what + ", which the wasmio host does not provide";
      return false;
    }
    if ((abi->paths & path_bit(path)) == 0) {
      *error = "imports " + what + ", which the " + access_path_name(path) +
               " access path does not offer";
      return false;
    }
    const FuncType type{abi->params, abi->results};
    (*out)[i] = Extern::of(store.add_host_function(type, function, &io, abi->name));
  }
  return true;
}

}  // namespace wasmio::io
