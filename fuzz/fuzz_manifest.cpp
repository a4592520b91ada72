// libFuzzer target for the manifest parser (untrusted bytes from a driver module), and for the
// binder on whatever manifests the parser accepts.
//   properties checked: no crash/UB/leak; accepted manifests survive write -> parse unchanged;
//   binding a manifest twice in one registry never grants the same container twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "io/bind/binding.h"
#include "io/manifest/manifest_parser.h"
#include "io/manifest/manifest_writer.h"

namespace {

using namespace wasmio::io;

// A small fixed board with overlapping compatibles, a disabled node and a shared IRQ line.
const BoardDescription& fuzz_board() {
  static const std::string_view uart[] = {"arm,cmsdk-uart"};
  static const std::string_view spi[] = {"arm,pl022", "arm,primecell"};
  static const RegWindow uart0_regs[] = {{0x40004000, 0x1000}};
  static const RegWindow uart1_regs[] = {{0x40005000, 0x1000}, {0x40005800, 0x10}};
  static const RegWindow spi0_regs[] = {{0x40020000, 0x1000}};
  static const std::uint32_t uart0_irqs[] = {0, 1, 12};
  static const std::uint32_t uart1_irqs[] = {2, 3, 12};
  static const std::uint32_t spi_irqs[] = {11};
  static const std::uint8_t clock[] = {0x01, 0x7D, 0x78, 0x40};
  static const BoardProperty props[] = {{"clock-frequency", clock}};
  static const BoardNode nodes[] = {
      {"/apb/serial@40004000", "uart0", uart, uart0_regs, uart0_irqs, props, true},
      {"/apb/serial@40005000", "uart1", uart, uart1_regs, uart1_irqs, props, true},
      {"/apb/serial@40006000", "uart2", uart, uart0_regs, uart0_irqs, {}, false},
      {"/apb/ssp@40020000", "spi0", spi, spi0_regs, spi_irqs, {}, true},
      {"/apb/ssp@40021000", "spi1", spi, spi0_regs, spi_irqs, props, true},
  };
  static const BoardDescription board{"fuzz", nodes};
  return board;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ManifestParseResult parsed = parse_manifest(std::span<const std::uint8_t>(data, size));
  if (!parsed.ok()) {
    (void)parsed.error().message();
    return 0;
  }
  Manifest m = parsed.manifest();
  m.minor_version = kManifestMinorVersion;  // the writer writes its own version
  const std::vector<std::uint8_t> written = write_manifest(m);
  ManifestParseResult again = parse_manifest(written);
  if (!again.ok() || !(again.manifest() == m)) std::abort();

  GrantRegistry registry(fuzz_board());
  BindResult first = registry.bind("a", m);
  BindResult second = registry.bind("a", m);
  if (second.ok()) std::abort();
  if (first.ok() != (registry.container_count() == 1)) std::abort();
  // A third container with a deployment derived from the input: a pin (by path or label,
  // sometimes to a node that does not exist) and an exclusive grant.
  Deployment deployment;
  if (!m.peripherals.empty()) {
    std::uint32_t mix = 0;
    for (std::size_t i = 0; i < size; ++i) mix = mix * 31 + data[i];
    const auto& nodes = fuzz_board().nodes;
    const std::string& label = m.peripherals[mix % m.peripherals.size()].label;
    const std::uint32_t pick = (mix >> 8) % (nodes.size() + 1);
    const std::string node = pick == nodes.size() ? std::string("/nowhere")
                             : (mix & 0x10000)    ? std::string(nodes[pick].label)
                                                  : std::string(nodes[pick].path);
    deployment.pins.push_back(Deployment::Pin{label, node});
    if (mix & 0x20000) deployment.exclusive.push_back(m.peripherals.back().label);
  }
  BindResult other = registry.bind("b", m, deployment);
  if (!other.ok() && other.refusal().reasons.empty()) std::abort();  // a refusal says why
  registry.unbind("a");
  registry.unbind("b");
  for (std::uint32_t n = 0; n < fuzz_board().nodes.size(); ++n) {
    if (!registry.holders(n).empty()) std::abort();  // unbind frees every grant
  }
  return 0;
}
