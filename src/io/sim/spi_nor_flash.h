// A serial NOR flash with the Winbond W25Q command set (W25Q16JV datasheet, JEDEC ID EF 40 15;
// Zephyr/Linux binding "jedec,spi-nor"), as a SpiTarget. Modelled exactly:
//   9F  RDID       manufacturer, memory type, capacity (jedec-id), repeated
//   90  REMS       3 address bytes, then manufacturer/device ID (order by A0), repeated
//   AB  RDP/RES    release power-down (at deselect); after 3 dummy bytes: device ID (W25Q:
//                  capacity byte - 1), repeated
//   05  RDSR1      status register 1 ([0] BUSY [1] WEL), repeated (also while busy)
//   06  WREN / 04 WRDI  set/clear WEL
//   03  READ       3 address bytes, data to the end of select, wrapping at the end of memory
//   0B  FAST READ  3 address bytes + 1 dummy byte, then as READ
//   02  PP         3 address bytes + 1..256 data bytes; wraps inside the 256-byte page; the
//                  last 256 bytes sent count; bits only go 1 -> 0 (AND)
//   20/52/D8  SE 4K / BE 32K / BE 64K;  C7/60  CE (whole chip)
//   B9  DP         deep power-down (only AB is then decoded)
// Program/erase start when chip select goes inactive after a whole number of bytes with WEL set,
// keep BUSY for the datasheet's typical time (tPP 0.4 ms, tSE 45 ms, tBE1 120 ms, tBE2 150 ms,
// tCE 5 s at 25 MHz; settable) and then clear BUSY and WEL. While BUSY, every instruction but
// RDSR1 is ignored. Any other opcode is ignored until chip select goes inactive. Frames of any
// size are taken bit by bit (a 16-bit frame is two bytes); modes 1 and 2 and the TI/Microwire
// formats sample on the wrong edge: the device sees no valid bits (MISO 0xFF.., command dropped).
// Not modelled: status registers 2/3, write-protect bits, suspend/resume, SFDP, dual/quad I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim_clock.h"
#include "spi_target.h"

namespace wasmio::io::sim {

class SpiNorFlash final : public SpiTarget {
 public:
  struct Timing {                     // busy times in board cycles
    Cycles page_program = 10'000;     // 0.4 ms at 25 MHz
    Cycles sector_erase = 1'125'000;  // 45 ms
    Cycles block_erase_32k = 3'000'000;
    Cycles block_erase_64k = 3'750'000;
    Cycles chip_erase = 125'000'000;  // 5 s
  };
  static constexpr std::string_view kCompatible = "jedec,spi-nor";

  // `size_bytes` a power of two >= 4 KiB; cells erased (0xFF).
  SpiNorFlash(SimClock& clock, std::uint32_t size_bytes, std::array<std::uint8_t, 3> jedec_id);
  ~SpiNorFlash() override;

  void select(bool active) override;
  std::uint16_t transfer(std::uint16_t mosi, unsigned bits, unsigned mode, bool motorola) override;
  void reset() override;  // power cycle: status cleared, contents and the CS level persist

  void set_timing(const Timing& timing) { timing_ = timing; }
  bool selected() const { return selected_; }
  bool busy() const { return busy_; }
  std::uint8_t status() const {
    return static_cast<std::uint8_t>((busy_ ? 1 : 0) | (wel_ ? 2 : 0));
  }
  std::vector<std::uint8_t>& memory() { return memory_; }  // test/script access (backdoor)
  const std::vector<std::uint8_t>& memory() const { return memory_; }
  std::uint64_t programs() const { return programs_; }
  std::uint64_t erases() const { return erases_; }

 private:
  enum class Phase : std::uint8_t { kOpcode, kAddress, kDummy, kData, kIgnore };
  void exchange(std::uint8_t in);  // one byte in; sets next_out_ for the following byte
  void begin(std::uint8_t opcode);
  void finish_select();
  void start_busy(Cycles cycles);
  static void on_ready(void* self, Cycles now);

  SimClock& clock_;
  std::vector<std::uint8_t> memory_;
  std::array<std::uint8_t, 3> jedec_id_;
  Timing timing_;
  SimEvent ready_{&SpiNorFlash::on_ready, this};

  bool selected_ = false;
  bool busy_ = false;
  bool wel_ = false;
  bool powered_down_ = false;
  bool garbled_ = false;  // a frame in a mode the flash cannot sample: select is void
  // Current command.
  Phase phase_ = Phase::kOpcode;
  std::uint8_t opcode_ = 0;
  unsigned address_bytes_ = 0;
  std::uint32_t address_ = 0;
  unsigned dummy_bytes_ = 0;
  unsigned byte_index_ = 0;       // data bytes so far
  std::uint8_t next_out_ = 0xFF;  // byte driven during the next byte
  std::array<std::uint8_t, 256> page_{};
  std::array<bool, 256> page_written_{};
  // Bit assembly for frames that are not 8 bits.
  std::uint32_t in_bits_ = 0, in_count_ = 0;
  std::uint32_t out_bits_ = 0;
  std::uint64_t programs_ = 0, erases_ = 0;
};

}  // namespace wasmio::io::sim
