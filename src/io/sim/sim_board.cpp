#include "sim_board.h"

#include <algorithm>

#include "../board/devicetree.h"
#include "at24c.h"
#include "cmsdk_dualtimer.h"
#include "cmsdk_timer.h"
#include "cmsdk_uart.h"
#include "cmsdk_watchdog.h"
#include "mps2_fpgaio.h"
#include "pl022.h"
#include "pl081.h"
#include "sim_ram.h"
#include "placeholder_device.h"
#include "sbcon_i2c.h"
#include "spi_nor_flash.h"
#include "tmp105.h"

namespace wasmio::io::sim {

namespace {
constexpr std::uint64_t kDefaultClockHz = 25'000'000;
constexpr std::uint32_t kMinIrqLines = 32;  // Cortex-M3 on AN385
constexpr std::uint32_t kDefaultPriorityBits = 8;

bool valid_width(unsigned width) { return width == 1 || width == 2 || width == 4 || width == 8; }

// The interrupt line named `name` in interrupt-names, else the `index`-th one; UINT32_MAX if none.
std::uint32_t irq_named(const BoardNode& node, std::string_view name, std::size_t index) {
  const auto names = property_strings(node, "interrupt-names");
  if (!names.empty()) {
    for (std::size_t i = 0; i < names.size() && i < node.irqs.size(); ++i) {
      if (names[i] == name) return node.irqs[i];
    }
    return UINT32_MAX;
  }
  return index < node.irqs.size() ? node.irqs[index] : UINT32_MAX;
}

void wire(IrqOutput& out, InterruptController& irqs, std::uint32_t line) {
  if (line != UINT32_MAX) out.connect(&irqs, line);
}
}  // namespace

SimBoard::SimBoard(std::uint64_t clock_hz, std::uint32_t irq_lines, std::uint32_t priority_bits)
    : clock_(clock_hz), irqs_(irq_lines, priority_bits) {}

// Devices unhook their IRQ outputs and events before the clock and controller go.
SimBoard::~SimBoard() {
  targets_.clear();
  spi_targets_.clear();
  map_.clear();
  owned_.clear();
}

bool SimBoard::add_device(std::unique_ptr<SimDevice> device) {
  const RegWindow w = device->config().window;
  if (w.size == 0 || w.address + w.size < w.address) return false;
  const std::uint64_t end = w.address + w.size;
  for (const auto& m : map_) {
    if (w.address < m.end && m.base < end) return false;
  }
  Mapping m{w.address, end, device.get(), device->max_width()};
  map_.insert(std::upper_bound(map_.begin(), map_.end(), m,
                               [](const Mapping& a, const Mapping& b) { return a.base < b.base; }),
              m);
  owned_.push_back(std::move(device));
  return true;
}

const SimBoard::Mapping* SimBoard::decode(std::uint64_t address, unsigned width) const {
  // Drivers hit the same device over and over: try the last one first.
  if (last_ < map_.size()) {
    const Mapping& m = map_[last_];
    if (address >= m.base && address < m.end && m.end - address >= width) return &m;
  }
  auto it = std::upper_bound(map_.begin(), map_.end(), address,
                             [](std::uint64_t a, const Mapping& m) { return a < m.base; });
  if (it == map_.begin()) return nullptr;
  --it;
  if (address >= it->end || it->end - address < width) return nullptr;
  last_ = static_cast<std::size_t>(it - map_.begin());
  return &*it;
}

BusRead SimBoard::read(std::uint64_t address, unsigned width) {
  if (!valid_width(width)) return {0, BusStatus::kBadWidth};
  if ((address & (width - 1)) != 0) return {0, BusStatus::kMisaligned};
  clock_.advance(access_cycles_);
  const Mapping* m = decode(address, width);
  if (m == nullptr) return {0, BusStatus::kUnmapped};
  if (width > m->max_width) return {0, BusStatus::kBadWidth};
  return {m->device->read(address - m->base, width), BusStatus::kOk};
}

BusStatus SimBoard::write(std::uint64_t address, unsigned width, std::uint64_t value) {
  if (!valid_width(width)) return BusStatus::kBadWidth;
  if ((address & (width - 1)) != 0) return BusStatus::kMisaligned;
  clock_.advance(access_cycles_);
  const Mapping* m = decode(address, width);
  if (m == nullptr) return BusStatus::kUnmapped;
  if (width > m->max_width) return BusStatus::kBadWidth;
  m->device->write(address - m->base, width, value);
  return BusStatus::kOk;
}

BusRead SimBoard::master_read(std::uint64_t address, unsigned width) {
  if (!valid_width(width)) return {0, BusStatus::kBadWidth};
  if ((address & (width - 1)) != 0) return {0, BusStatus::kMisaligned};
  const Mapping* m = decode(address, width);
  if (m == nullptr) return {0, BusStatus::kUnmapped};
  if (width > m->max_width) return {0, BusStatus::kBadWidth};
  return {m->device->read(address - m->base, width), BusStatus::kOk};
}

BusStatus SimBoard::master_write(std::uint64_t address, unsigned width, std::uint64_t value) {
  if (!valid_width(width)) return BusStatus::kBadWidth;
  if ((address & (width - 1)) != 0) return BusStatus::kMisaligned;
  const Mapping* m = decode(address, width);
  if (m == nullptr) return BusStatus::kUnmapped;
  if (width > m->max_width) return BusStatus::kBadWidth;
  m->device->write(address - m->base, width, value);
  return BusStatus::kOk;
}

SimDevice* SimBoard::device_at(std::uint64_t address) const {
  const Mapping* m = decode(address, 1);
  return m != nullptr ? m->device : nullptr;
}

SimDevice* SimBoard::find(std::string_view label) const {
  for (const auto& d : owned_) {
    if (d->label() == label) return d.get();
  }
  return nullptr;
}

std::vector<SimDevice*> SimBoard::devices() const {
  std::vector<SimDevice*> out;
  for (const auto& m : map_) out.push_back(m.device);
  return out;
}

std::optional<std::uint32_t> SimBoard::wait_for_interrupt(Cycles deadline) {
  for (;;) {
    if (auto line = irqs_.highest_pending()) return line;
    const Cycles next = clock_.next_deadline();
    if (next > deadline) {
      clock_.advance_to(std::max(deadline, clock_.now()));
      return irqs_.highest_pending();
    }
    clock_.run_next();
  }
}

void SimBoard::reset() {
  for (const auto& d : owned_) d->reset();
  for (const auto& t : targets_) t.target->reset();
  for (const auto& t : spi_targets_) t.target->reset();
  irqs_.reset();
}

// Instantiation from the devicetree, one function per model family.
struct BoardFactory {
  static std::uint64_t board_clock(const BoardDescription& board) {
    for (const auto& n : board.nodes) {
      if (n.label == "sysclk" || is_compatible(n, "fixed-clock")) {
        if (auto hz = property_u32(n, "clock-frequency")) return *hz;
      }
    }
    for (const auto& n : board.nodes) {
      if (property_string(n, "device_type") == std::optional<std::string_view>("cpu")) {
        if (auto hz = property_u32(n, "clock-frequency")) return *hz;
      }
    }
    return kDefaultClockHz;
  }

  static std::unique_ptr<SimDevice> make(SimBoard& b, const BoardNode& n, std::string_view compat,
                                         DeviceConfig cfg) {
    SimContext ctx = b.context();
    InterruptController& irqs = b.irqs();
    if (compat == CmsdkUart::kCompatible) {
      if (auto hz = property_u32(n, "clock-frequency")) cfg.clock_hz = *hz;
      auto d = std::make_unique<CmsdkUart>(std::move(cfg), ctx);
      wire(d->rx_irq(), irqs, irq_named(n, "rx", 0));
      wire(d->tx_irq(), irqs, irq_named(n, "tx", 1));
      wire(d->overrun_irq(), irqs, irq_named(n, "overrun", 2));
      wire(d->combined_irq(), irqs, irq_named(n, "combined", 3));
      return d;
    }
    if (compat == CmsdkTimer::kCompatible) {
      auto d = std::make_unique<CmsdkTimer>(std::move(cfg), ctx);
      wire(d->irq(), irqs, irq_named(n, "timer", 0));
      return d;
    }
    if (compat == CmsdkDualTimer::kCompatible) {
      auto d = std::make_unique<CmsdkDualTimer>(std::move(cfg), ctx);
      wire(d->combined_irq(), irqs, irq_named(n, "combined", 0));
      return d;
    }
    if (compat == CmsdkWatchdog::kCompatible) {
      auto d = std::make_unique<CmsdkWatchdog>(std::move(cfg), ctx);
      // AN385 wires the watchdog interrupt to the NMI, which has no devicetree line number.
      const std::uint32_t line = n.irqs.empty() ? irqs.nmi_line() : n.irqs[0];
      wire(d->irq(), irqs, line);
      return d;
    }
    if (compat == Pl022::kCompatible) {
      auto d = std::make_unique<Pl022>(std::move(cfg), ctx);
      wire(d->irq(), irqs, irq_named(n, "intr", 0));
      return d;
    }
    if (compat == SbconI2c::kCompatible) return std::make_unique<SbconI2c>(std::move(cfg), ctx);
    if (compat == Pl081::kCompatible) {
      auto d = std::make_unique<Pl081>(std::move(cfg), ctx, b);
      wire(d->irq(), irqs, irq_named(n, "dma", 0));
      return d;
    }
    if (compat == SimRam::kCompatible) return std::make_unique<SimRam>(std::move(cfg), ctx);
    if (compat == Mps2Fpgaio::kCompatible) {
      if (auto hz = property_u32(n, "clock-frequency")) cfg.clock_hz = *hz;
      return std::make_unique<Mps2Fpgaio>(std::move(cfg), ctx,
                                          property_u32(n, "arm,num-leds").value_or(2),
                                          property_u32(n, "arm,num-buttons").value_or(2));
    }
    if (compat == "arm,cmsdk-gpio") {
      return std::make_unique<PlaceholderDevice>(std::move(cfg), ctx, std::string(compat));
    }
    return nullptr;
  }

  static bool make_target(SimBoard& b, const BoardNode& n, SbconI2c& bus_device) {
    const auto address = static_cast<std::uint8_t>(n.bus_address);
    for (auto compat : n.compatible) {
      if (compat == Tmp105::kCompatible) {
        b.add_i2c_target(bus_device.bus(), address, std::string(n.label), std::make_unique<Tmp105>());
        return true;
      }
      if (compat == At24c::kCompatible) {
        auto e = std::make_unique<At24c>(b.clock(), property_u32(n, "size").value_or(256),
                                         property_u32(n, "pagesize").value_or(8));
        b.add_i2c_target(bus_device.bus(), address, std::string(n.label), std::move(e));
        return true;
      }
    }
    return false;
  }

  // A SPI device on a PL022: chip select `reg` of the controller's cs-gpios, which must name an
  // FPGAIO MISC bit (<&fpgaio bit flags>, flags bit 0 = active low). Returns an error or "".
  static std::string make_spi_target(SimBoard& b, const BoardDescription& board, const BoardNode& n,
                                     Pl022& controller, const std::vector<SimDevice*>& by_node) {
    const BoardNode& bus = board.nodes[n.parent];
    std::span<const std::uint8_t> cs;
    for (const auto& p : bus.properties) {
      if (p.name == "cs-gpios") cs = p.value;
    }
    const std::size_t entry = static_cast<std::size_t>(n.bus_address) * 12;
    if (cs.size() < entry + 12) return std::string(n.path) + ": controller has no cs-gpios entry for reg";
    auto cell = [&](std::size_t i) {
      const std::uint8_t* c = cs.data() + entry + 4 * i;
      return std::uint32_t{c[0]} << 24 | std::uint32_t{c[1]} << 16 | std::uint32_t{c[2]} << 8 | c[3];
    };
    Mps2Fpgaio* fpgaio = nullptr;
    for (std::size_t i = 0; i < board.nodes.size(); ++i) {
      if (property_u32(board.nodes[i], "phandle") == cell(0) && by_node[i] != nullptr &&
          by_node[i]->kind() == Mps2Fpgaio::kCompatible) {
        fpgaio = static_cast<Mps2Fpgaio*>(by_node[i]);
      }
    }
    if (fpgaio == nullptr) return std::string(n.path) + ": cs-gpios does not name the FPGAIO (MISC bits)";
    const std::uint32_t bit = cell(1);
    const bool active_low = (cell(2) & 1) != 0;
    if (bit > 31) return std::string(n.path) + ": chip-select bit out of range";

    std::unique_ptr<SpiTarget> target;
    std::string_view kind;
    for (auto compat : n.compatible) {
      if (compat == SpiNorFlash::kCompatible) {
        std::array<std::uint8_t, 3> id{0xEF, 0x40, 0x15};
        for (const auto& p : n.properties) {
          if (p.name == "jedec-id" && p.value.size() == 3) std::copy_n(p.value.data(), 3, id.begin());
        }
        // Zephyr's jedec,spi-nor `size` is in bits.
        const std::uint32_t bits = property_u32(n, "size").value_or(16u * 1024 * 1024);
        const std::uint32_t bytes = bits / 8;
        if (bytes < 4096 || (bytes & (bytes - 1)) != 0) {
          return std::string(n.path) + ": size must be a power of two of at least 4 KiB";
        }
        target = std::make_unique<SpiNorFlash>(b.clock(), bytes, id);
        kind = SpiNorFlash::kCompatible;
        break;
      }
    }
    if (!target) return "";
    SpiTarget* raw = target.get();
    Pl022* pl = &controller;
    // MISO is the wired AND of the targets (an unselected one leaves the line pulled up).
    Pl022::Slave previous = pl->slave();
    pl->attach_slave([previous, raw, pl](std::uint16_t mosi) {
      std::uint16_t miso = raw->transfer(mosi, pl->frame_bits(), pl->spi_mode(), pl->motorola_format());
      if (previous) miso &= previous(mosi);
      return miso;
    });
    fpgaio->add_misc_listener([raw, bit, active_low](std::uint32_t misc) {
      const bool level = ((misc >> bit) & 1) != 0;
      raw->select(level != active_low);
    });
    raw->select((((fpgaio->misc() >> bit) & 1) != 0) != active_low);
    b.spi_targets_.push_back(SimBoard::SpiTargetEntry{std::string(n.label), kind, std::move(target)});
    return "";
  }

  // `dmas = <&dmac request master>, ...` with dma-names "tx"/"rx": the consumer's request
  // outputs drive the PL081's request lines.
  static std::string wire_dma_requests(const BoardDescription& board, const BoardNode& n,
                                       SimDevice& consumer, const std::vector<SimDevice*>& by_node) {
    const BoardProperty* dmas = nullptr;
    for (const auto& p : n.properties) {
      if (p.name == "dmas") dmas = &p;
    }
    if (dmas == nullptr) return "";
    const auto names = property_strings(n, "dma-names");
    auto cell = [&](std::size_t i) {
      const std::uint8_t* c = dmas->value.data() + 4 * i;
      return std::uint32_t{c[0]} << 24 | std::uint32_t{c[1]} << 16 | std::uint32_t{c[2]} << 8 | c[3];
    };
    for (std::size_t e = 0; e < dmas->value.size() / 12 && e < names.size(); ++e) {
      Pl081* dmac = nullptr;
      for (std::size_t i = 0; i < board.nodes.size(); ++i) {
        if (property_u32(board.nodes[i], "phandle") == cell(3 * e) && by_node[i] != nullptr &&
            by_node[i]->kind() == Pl081::kCompatible) {
          dmac = static_cast<Pl081*>(by_node[i]);
        }
      }
      if (dmac == nullptr) continue;  // another controller: not modelled
      const std::uint32_t line = cell(3 * e + 1);
      if (line >= Pl081::kRequests) return std::string(n.path) + ": DMA request line out of range";
      const bool tx = names[e] == "tx";
      if (consumer.kind() == CmsdkUart::kCompatible) {
        auto* u = static_cast<CmsdkUart*>(&consumer);
        dmac->connect_request(line, tx ? Pl081::Request([u] { return u->dma_tx_request(); })
                                       : Pl081::Request([u] { return u->dma_rx_request(); }));
      } else if (consumer.kind() == Pl022::kCompatible) {
        auto* s = static_cast<Pl022*>(&consumer);
        dmac->connect_request(line, tx ? Pl081::Request([s] { return s->dma_tx_request(); })
                                       : Pl081::Request([s] { return s->dma_rx_request(); }));
      }
    }
    return "";
  }

  static std::unique_ptr<SimBoard> create(const BoardDescription& board, std::string* error,
                                          SimBoard::Options options) {
    auto fail = [&](std::string message) -> std::unique_ptr<SimBoard> {
      if (error != nullptr) *error = std::move(message);
      return nullptr;
    };
    const std::uint64_t hz = options.clock_hz != 0 ? options.clock_hz : board_clock(board);
    std::uint32_t lines = kMinIrqLines;
    std::uint32_t priority_bits = kDefaultPriorityBits;
    for (const auto& n : board.nodes) {
      for (std::uint32_t irq : n.irqs) lines = std::max(lines, irq + 1);
      if (is_compatible(n, "arm,v7m-nvic")) {
        priority_bits = property_u32(n, "arm,num-irq-priority-bits").value_or(priority_bits);
      }
    }
    auto b = std::make_unique<SimBoard>(hz, lines, priority_bits);
    b->access_cycles_ = options.access_cycles;

    std::vector<SimDevice*> by_node(board.nodes.size(), nullptr);
    for (std::size_t i = 0; i < board.nodes.size(); ++i) {
      const BoardNode& n = board.nodes[i];
      if (!n.enabled || n.regs.empty() || n.compatible.empty()) continue;
      std::unique_ptr<SimDevice> device;
      for (auto compat : n.compatible) {
        DeviceConfig cfg{std::string(n.label), std::string(n.path), n.regs[0], hz};
        device = make(*b, n, compat, std::move(cfg));
        if (device) break;
      }
      if (!device) {
        b->unmodelled_.emplace_back(n.path);
        continue;
      }
      SimDevice* raw = device.get();
      if (!b->add_device(std::move(device))) {
        return fail("simulated board: " + std::string(n.path) +
                    ": register window overlaps another device or is empty");
      }
      by_node[i] = raw;
    }
    for (std::size_t i = 0; i < board.nodes.size(); ++i) {
      if (by_node[i] == nullptr) continue;
      std::string problem = wire_dma_requests(board, board.nodes[i], *by_node[i], by_node);
      if (!problem.empty()) return fail("simulated board: " + problem);
    }
    for (const auto& n : board.nodes) {
      if (!n.enabled || n.parent == UINT32_MAX || n.compatible.empty()) continue;
      SimDevice* bus = n.parent < by_node.size() ? by_node[n.parent] : nullptr;
      if (bus != nullptr && bus->kind() == Pl022::kCompatible) {
        const std::size_t before = b->spi_targets_.size();
        std::string problem = make_spi_target(*b, board, n, *static_cast<Pl022*>(bus), by_node);
        if (!problem.empty()) return fail("simulated board: " + problem);
        if (b->spi_targets_.size() == before) b->unmodelled_.emplace_back(n.path);
        continue;
      }
      if (bus == nullptr || bus->kind() != SbconI2c::kCompatible) {
        b->unmodelled_.emplace_back(n.path);
        continue;
      }
      if (!make_target(*b, n, *static_cast<SbconI2c*>(bus))) b->unmodelled_.emplace_back(n.path);
    }
    return b;
  }
};

std::unique_ptr<SimBoard> SimBoard::create(const BoardDescription& board, std::string* error,
                                           Options options) {
  return BoardFactory::create(board, error, options);
}

}  // namespace wasmio::io::sim
