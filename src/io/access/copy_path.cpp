#include "copy_path.h"

#include <cstring>

#include "../manifest/text.h"

namespace wasmio::io {
namespace {

// The widest permitted width dividing offset and length (0 when none does).
unsigned unit_width(const GuestWindow& w, std::uint32_t offset, std::uint32_t length) {
  for (unsigned width = 8; width != 0; width >>= 1) {
    if ((w.widths & width) == 0 || width > w.registers.max_width()) continue;
    if (offset % width == 0 && length % width == 0) return width;
  }
  return 0;
}

std::string where(const char* via, std::int32_t handle, std::uint32_t offset, std::uint32_t length) {
  return std::string(via) + "(handle " + std::to_string(handle) + ", offset " + text::hex(offset) +
         ", length " + text::hex(length) + ")";
}

// Checks the range; returns the window and its unit width, or null with the fault recorded.
// Messages are built only on refusal: this runs on every batch.
const GuestWindow* checked(GuestWindows& io, const char* via, std::int32_t handle,
                           std::uint32_t offset, std::uint32_t length, unsigned* unit) {
  const GuestWindow* w = io.find(handle);
  if (w == nullptr) {
    io.record_fault(where(via, handle, offset, length) + ": no window has this handle");
    return nullptr;
  }
  if (offset > w->registers.size() || w->registers.size() - offset < length) {
    io.record_fault(where(via, handle, offset, length) + ": outside window " +
                    std::to_string(w->index) + " of '" + w->label + "' (" +
                    text::hex(w->registers.size()) + " bytes)");
    return nullptr;
  }
  *unit = unit_width(*w, offset, length);
  if (*unit == 0) {
    io.record_fault(where(via, handle, offset, length) +
                    ": not a whole number of registers of a width the window allows");
    return nullptr;
  }
  return w;
}

}  // namespace

bool shadow_pull(GuestWindows& io, std::int32_t handle, std::uint32_t offset, std::uint32_t length,
                 std::span<std::uint8_t> shadow) {
  unsigned unit = 0;
  const GuestWindow* w = checked(io, "shadow_pull", handle, offset, length, &unit);
  if (w == nullptr) return false;
  if (shadow.size() < std::uint64_t{offset} + length) {
    io.record_fault("shadow_pull: the shadow is smaller than the range");
    return false;
  }
  for (std::uint32_t o = offset; o < offset + length; o += unit) {
    if (w->is_volatile(o, unit)) continue;
    RegRead r = w->registers.read(o, unit);  // the range and width were checked above
    if (!r.ok()) r = io.read(handle, o, unit, "shadow_pull");  // records the fault
    if (!r.ok()) return false;
    std::memcpy(shadow.data() + o, &r.value, unit);  // little-endian: the low bytes
  }
  return true;
}

bool shadow_push(GuestWindows& io, std::int32_t handle, std::uint32_t offset, std::uint32_t length,
                 std::span<const std::uint8_t> shadow) {
  unsigned unit = 0;
  const GuestWindow* w = checked(io, "shadow_push", handle, offset, length, &unit);
  if (w == nullptr) return false;
  if (shadow.size() < std::uint64_t{offset} + length) {
    io.record_fault("shadow_push: the shadow is smaller than the range");
    return false;
  }
  for (std::uint32_t o = offset; o < offset + length; o += unit) {
    if (w->is_volatile(o, unit)) continue;
    std::uint64_t value = 0;
    std::memcpy(&value, shadow.data() + o, unit);
    if (w->registers.write(o, unit, value) != RegStatus::kOk &&
        io.write(handle, o, unit, value, "shadow_push") != RegStatus::kOk) {
      return false;
    }
  }
  return true;
}

namespace {

// The guest's shadow buffer: the window-sized region at the pointer argument (only the range
// [offset, offset + length) of it must lie in memory).
template <typename Op>
HostStatus shadow_call(HostCall& call, const char* via, Op op) {
  GuestWindows& io = *static_cast<GuestWindows*>(call.user_data);
  const auto handle = static_cast<std::int32_t>(call.arg_i32(0));
  const std::uint32_t offset = call.arg_i32(1);
  const std::uint32_t length = call.arg_i32(2);
  const std::uint32_t shadow = call.arg_i32(3);
  const std::span<std::uint8_t> memory = call.memory();
  const std::uint64_t end = std::uint64_t{shadow} + offset + length;
  if (end > memory.size()) {
    io.record_fault(std::string(via) + ": the shadow range lies outside the driver's memory");
    return call.fail(ErrorCode::kAccessViolation);
  }
  if (!op(io, handle, offset, length, memory.subspan(shadow, offset + length))) {
    return call.fail(ErrorCode::kAccessViolation);
  }
  call.set_i32(0, 0);
  return HostStatus::kReturn;
}

}  // namespace

HostStatus copy_path_pull(HostCall& call) {
  return shadow_call(call, "shadow_pull",
                     [](GuestWindows& io, std::int32_t h, std::uint32_t o, std::uint32_t n,
                        std::span<std::uint8_t> s) { return shadow_pull(io, h, o, n, s); });
}

HostStatus copy_path_push(HostCall& call) {
  return shadow_call(call, "shadow_push",
                     [](GuestWindows& io, std::int32_t h, std::uint32_t o, std::uint32_t n,
                        std::span<std::uint8_t> s) { return shadow_push(io, h, o, n, s); });
}

}  // namespace wasmio::io
