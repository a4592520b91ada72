// A device on a SPI bus (a PL022's SSPTXD/SSPRXD/SSPCLK), seen frame by frame. The chip select
// is a separate wire (on MPS2: an FPGAIO MISC bit, see fpgaio_chip_select.h): the target only
// acts on frames while selected.
#pragma once

#include <cstdint>

namespace wasmio::io::sim {

class SpiTarget {
 public:
  virtual ~SpiTarget() = default;
  // The chip-select line went active (true) or inactive (false).
  virtual void select(bool active) = 0;
  // One frame of `bits` bits (4..16), MSB first, clock polarity/phase `mode` (0..3, SPO/SPH),
  // `motorola` false for the TI/Microwire frame formats. Returns what the target drove on MISO
  // (only the low `bits` bits count).
  virtual std::uint16_t transfer(std::uint16_t mosi, unsigned bits, unsigned mode,
                                 bool motorola) = 0;
  // Power-on state (the board's reset).
  virtual void reset() = 0;
};

}  // namespace wasmio::io::sim
