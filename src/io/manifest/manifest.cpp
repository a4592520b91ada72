#include "manifest.h"

#include "manifest_format.h"

namespace wasmio::io {

const char* access_path_name(AccessPath path) noexcept {
  switch (path) {
    case AccessPath::kHostCall: return "host-call";
    case AccessPath::kMapped: return "mapped";
    case AccessPath::kCopy: return "copy";
  }
  return "?";
}

const WindowNeed* PeripheralNeed::find_window(std::uint8_t index) const noexcept {
  for (const WindowNeed& w : windows) {
    if (w.index == index) return &w;
  }
  return nullptr;
}

const PeripheralNeed* Manifest::find(std::string_view label) const noexcept {
  for (const PeripheralNeed& p : peripherals) {
    if (p.label == label) return &p;
  }
  return nullptr;
}

namespace manifest_format {

const char* record_kind_name(std::uint8_t kind) noexcept {
  switch (static_cast<RecordKind>(kind)) {
    case RecordKind::kDriver: return "driver";
    case RecordKind::kPeripheral: return "peripheral";
    case RecordKind::kWindow: return "window";
    case RecordKind::kIrq: return "irq";
    case RecordKind::kProperty: return "property";
  }
  return "unknown";
}

}  // namespace manifest_format
}  // namespace wasmio::io
