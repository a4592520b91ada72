#include "sim_device.h"

namespace wasmio::io::sim {

const char* bus_status_name(BusStatus status) {
  switch (status) {
    case BusStatus::kOk: return "ok";
    case BusStatus::kUnmapped: return "bus error: no device at this address";
    case BusStatus::kBadWidth: return "bus error: access width not supported here";
    case BusStatus::kMisaligned: return "bus error: misaligned access";
  }
  return "bus error";
}

std::uint64_t Apb32Device::read(std::uint64_t offset, unsigned width) {
  const std::uint32_t lane = static_cast<std::uint32_t>(offset & 3);
  if (lane != 0 && subword_ == SubwordAccess::kRegisterAddressed) return 0;
  const std::uint32_t value = read_register(static_cast<std::uint32_t>(offset - lane)) >> (8 * lane);
  return width >= 4 ? value : value & ((1u << (8 * width)) - 1);
}

void Apb32Device::write(std::uint64_t offset, unsigned width, std::uint64_t value) {
  const std::uint32_t lane = static_cast<std::uint32_t>(offset & 3);
  if (lane != 0 && subword_ == SubwordAccess::kRegisterAddressed) return;
  std::uint32_t v = static_cast<std::uint32_t>(value);
  if (width < 4) v &= (1u << (8 * width)) - 1;
  write_register(static_cast<std::uint32_t>(offset - lane), v << (8 * lane));
}

bool read_peripheral_id(const PeripheralId& id, std::uint32_t offset, std::uint32_t& value) {
  if (offset < kPeripheralIdBase || offset >= kPeripheralIdBase + 4 * id.size() || (offset & 3)) {
    return false;
  }
  value = id[(offset - kPeripheralIdBase) / 4];
  return true;
}

}  // namespace wasmio::io::sim
