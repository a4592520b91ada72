#include "manifest_writer.h"

#include <string_view>

namespace wasmio::io {
namespace {

using manifest_format::RecordKind;

class Body {
 public:
  Body& u8(std::uint8_t v) { bytes_.push_back(v); return *this; }
  Body& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  Body& str(std::string_view s) {
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    bytes_.push_back(0);
    return *this;
  }
  std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace

bool append_manifest_record(std::vector<std::uint8_t>& out, RecordKind kind,
                            std::span<const std::uint8_t> body, std::uint8_t major,
                            std::uint8_t minor) {
  if (body.size() > manifest_format::kMaxBodyBytes) return false;
  out.push_back(major);
  out.push_back(minor);
  out.push_back(static_cast<std::uint8_t>(kind));
  out.push_back(static_cast<std::uint8_t>(body.size() & 0xFF));
  out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  out.insert(out.end(), body.begin(), body.end());
  return true;
}

std::vector<std::uint8_t> write_manifest(const Manifest& manifest) {
  std::vector<std::uint8_t> out;
  bool ok = true;
  auto emit = [&](RecordKind kind, const Body& body) {
    ok = ok && append_manifest_record(out, kind, body.bytes());
  };
  emit(RecordKind::kDriver, Body()
                                .u8(static_cast<std::uint8_t>(manifest.access_path))
                                .u32(manifest.map_base)
                                .u32(manifest.map_size)
                                .str(manifest.driver));
  for (const PeripheralNeed& p : manifest.peripherals) {
    Body peripheral;
    peripheral.u8(p.flags).str(p.label);
    for (const std::string& c : p.compatible) peripheral.str(c);
    peripheral.str("");
    emit(RecordKind::kPeripheral, peripheral);
    for (const WindowNeed& w : p.windows) {
      Body window;
      window.str(p.label).u8(w.index).u8(w.widths).u32(w.min_size);
      window.u8(static_cast<std::uint8_t>(w.volatile_ranges.size()));
      for (const VolatileRange& v : w.volatile_ranges) window.u32(v.offset).u32(v.length);
      emit(RecordKind::kWindow, window);
    }
    for (const IrqNeed& q : p.irqs) {
      emit(RecordKind::kIrq, Body()
                                 .str(p.label)
                                 .u8(q.index)
                                 .u8(q.priority)
                                 .u32(q.budget)
                                 .u32(q.min_interarrival_us)
                                 .str(q.handler));
    }
    for (const std::string& name : p.properties) {
      emit(RecordKind::kProperty, Body().str(p.label).str(name));
    }
  }
  if (!ok) out.clear();
  return out;
}

}  // namespace wasmio::io
