#include "driver_text.h"

#include <fmt/format.h>

#include "io/manifest/manifest_parser.h"

namespace wasmio::cli {
namespace {

std::string widths_text(std::uint8_t widths) {
  std::string s;
  for (unsigned w : {1u, 2u, 4u, 8u}) {
    if (widths & w) s += fmt::format("{}{}", s.empty() ? "" : "/", w * 8);
  }
  return s + "-bit";
}

std::string volatile_text(const std::vector<io::VolatileRange>& ranges) {
  if (ranges.empty()) return "";
  std::string s = ", volatile";
  for (const io::VolatileRange& r : ranges) s += fmt::format(" 0x{:x}+{}", r.offset, r.length);
  return s;
}

std::string cells_text(std::span<const std::uint8_t> value) {
  if (value.size() % 4 != 0 || value.empty()) return fmt::format("[{} bytes]", value.size());
  std::string s = "<";
  for (std::size_t i = 0; i < value.size(); i += 4) {
    const std::uint32_t cell = std::uint32_t{value[i]} << 24 | std::uint32_t{value[i + 1]} << 16 |
                               std::uint32_t{value[i + 2]} << 8 | value[i + 3];
    s += fmt::format("{}0x{:x}", i ? " " : "", cell);
  }
  return s + ">";
}

}  // namespace

std::string describe_manifest(const io::Manifest& m) {
  std::string s = fmt::format("  driver \"{}\", access path {}, format 1.{}\n", m.driver,
                              io::access_path_name(m.access_path), m.minor_version);
  if (m.access_path == io::AccessPath::kMapped) {
    s += fmt::format("  map range 0x{:08x}..0x{:08x}\n", m.map_base,
                     std::uint64_t{m.map_base} + m.map_size);
  }
  for (const io::PeripheralNeed& p : m.peripherals) {
    std::string compatible;
    for (const std::string& c : p.compatible) compatible += fmt::format("{}\"{}\"", compatible.empty() ? "" : ", ", c);
    s += fmt::format("  peripheral {}: {}{}{}\n", p.label, compatible,
                     p.exclusive() ? " (exclusive)" : "", p.optional() ? " (optional)" : "");
    for (const io::WindowNeed& w : p.windows) {
      s += fmt::format("    window {}: >= 0x{:x} bytes, {}{}\n", w.index, w.min_size,
                       widths_text(w.widths), volatile_text(w.volatile_ranges));
    }
    for (const io::IrqNeed& q : p.irqs) {
      s += fmt::format("    irq {}: handler {}, priority {}, budget {}, min interarrival {} us\n",
                       q.index, q.handler, q.priority, q.budget, q.min_interarrival_us);
    }
    for (const std::string& name : p.properties) s += fmt::format("    property {}\n", name);
  }
  return s;
}

std::string describe_binding(const io::ContainerBinding& b, const io::BoardDescription& board) {
  std::string s = fmt::format("container {} (driver \"{}\", {} path)\n", b.container, b.driver,
                              io::access_path_name(b.access_path));
  for (const io::BoundPeripheral& p : b.peripherals) {
    if (!p.present) {
      s += fmt::format("  {} -> (absent: optional, not on this board)\n", p.label);
      continue;
    }
    const io::BoardNode& node = board.nodes[p.node];
    s += fmt::format("  {} -> {} ({}){}\n", p.label, p.node_path, node.label,
                     p.exclusive ? " exclusive" : "");
    for (const io::GrantedWindow& w : b.windows) {
      if (w.label != p.label) continue;
      s += fmt::format("    window {}: handle {}, 0x{:08x}+0x{:x}, {}{}{}\n", w.index, w.handle,
                       w.address, w.size, widths_text(w.widths),
                       w.guest_address != 0 ? fmt::format(", guest 0x{:08x}", w.guest_address) : "",
                       volatile_text(w.volatile_ranges));
    }
    for (const io::GrantedIrq& q : b.irqs) {
      if (q.label != p.label) continue;
      s += fmt::format("    irq {}: line {} -> {}\n", q.index, q.line, q.handler);
    }
    for (const io::GrantedProperty& prop : b.properties) {
      if (prop.label != p.label) continue;
      s += fmt::format("    property {} = {}\n", prop.name, cells_text(prop.value));
    }
  }
  return s;
}

std::string describe_manifest_section(const Module& module) {
  std::string s;
  std::uint32_t count = 0;
  for (std::uint32_t i = 0; i < module.custom_section_count(); ++i) {
    const CustomSection c = module.custom_section(i);
    if (c.name != io::kManifestSectionName) continue;
    ++count;
    const io::ManifestParseResult parsed = io::parse_manifest(c.bytes);
    s += parsed ? describe_manifest(parsed.manifest())
                : fmt::format("  malformed: {}\n", parsed.error().message());
  }
  if (count == 0) return "manifest: none (the module may not access registers)\n";
  if (count > 1) s += fmt::format("  {} manifest sections: a driver container refuses this\n", count);
  return "manifest:\n" + s;
}

}  // namespace wasmio::cli
