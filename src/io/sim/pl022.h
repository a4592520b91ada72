// Arm PrimeCell SSP PL022 (Arm DDI0194; QEMU hw/ssi/pl022.c), master mode:
//   0x00 CR0   [3:0] DSS data size - 1 (4..16 bits) [5:4] FRF [6] SPO [7] SPH [15:8] SCR
//   0x04 CR1   [0] LBM loopback [1] SSE enable [2] MS slave mode [3] SOD
//   0x08 DR    write: push TX FIFO (dropped when full); read: pop RX FIFO (0 when empty)
//   0x0C SR    [0] TFE [1] TNF [2] RNE [3] RFF [4] BSY
//   0x10 CPSR  even prescale divisor 2..254 (bit 0 reads 0)
//   0x14 IMSC  [0] RORIM [1] RTIM [2] RXIM [3] TXIM
//   0x18 RIS   [0] RX overrun [1] RX timeout [2] RX FIFO >= 4 entries [3] TX FIFO <= 4 entries
//   0x1C MIS   RIS & IMSC
//   0x20 ICR   write 1 to clear RORRIS/RTRIS
//   0x24 DMACR stored (no DMA on AN385)
//   0xFE0-0xFFC PeriphID/PCellID
// FIFOs: 8 entries each way. Timing as silicon (QEMU transfers instantly): with SSE set, frames
// leave the TX FIFO one at a time, each taking (DSS+1) x CPSDVSR x (1+SCR) cycles (CPSDVSR < 2
// counts as 2); BSY is set while a frame shifts or the TX FIFO holds data. A frame received with
// the RX FIFO full is lost and sets RORRIS; RTRIS is set when the RX FIFO stays non-empty for
// 32 bit periods after the last frame. The received word is the sent one under LBM, else what
// the attached slave returns (0 with none). The single SSPINTR output is (RIS & IMSC) != 0.
#pragma once

#include <array>
#include <functional>

#include "sim_device.h"

namespace wasmio::io::sim {

class Pl022 final : public Apb32Device {
 public:
  // MOSI word in, MISO word out (already masked to the frame size by the caller).
  using Slave = std::function<std::uint16_t(std::uint16_t mosi)>;

  Pl022(DeviceConfig config, SimContext context);
  static constexpr std::string_view kCompatible = "arm,pl022";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  IrqOutput& irq() { return irq_; }
  void attach_slave(Slave slave) { slave_ = std::move(slave); }
  const Slave& slave() const { return slave_; }
  // The frame as the wire sees it (for SpiTarget models): size, SPI mode (CPOL = SPO,
  // CPHA = SPH) and whether FRF selects Motorola SPI.
  unsigned frame_bits() const { return (cr0_ & 0xF) + 1; }
  unsigned spi_mode() const { return ((cr0_ >> 6) & 1) << 1 | ((cr0_ >> 7) & 1); }
  bool motorola_format() const { return ((cr0_ >> 4) & 3) == 0; }
  // SSPTXDMASREQ / SSPRXDMASREQ (single requests), gated by DMACR TXDMAE / RXDMAE.
  bool dma_tx_request() const { return (dmacr_ & 2) != 0 && !tx_.full(); }
  bool dma_rx_request() const { return (dmacr_ & 1) != 0 && !rx_.empty(); }
  Cycles frame_cycles() const;

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  struct Fifo {
    std::array<std::uint16_t, 8> data{};
    unsigned head = 0;
    unsigned count = 0;
    bool full() const { return count == data.size(); }
    bool empty() const { return count == 0; }
    void push(std::uint16_t v) { data[(head + count++) % data.size()] = v; }
    std::uint16_t pop() {
      const std::uint16_t v = data[head];
      head = (head + 1) % data.size();
      --count;
      return v;
    }
    void clear() { head = count = 0; }
  };

  static void on_frame_done(void* self, Cycles now);
  static void on_rx_timeout(void* self, Cycles now);
  void try_start_frame();
  void update();
  std::uint16_t data_mask() const { return static_cast<std::uint16_t>((1u << ((cr0_ & 0xF) + 1)) - 1); }

  std::uint32_t cr0_ = 0, cr1_ = 0, cpsr_ = 0, imsc_ = 0, dmacr_ = 0;
  std::uint32_t ris_latched_ = 0;  // RORRIS, RTRIS (the FIFO-level bits are computed)
  Fifo tx_, rx_;
  bool shifting_ = false;
  std::uint16_t shifter_ = 0;
  SimEvent frame_done_{&Pl022::on_frame_done, this};
  SimEvent rx_timeout_{&Pl022::on_rx_timeout, this};
  IrqOutput irq_;
  Slave slave_;
};

}  // namespace wasmio::io::sim
