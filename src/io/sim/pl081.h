// Arm PrimeCell DMA controller PL081 (Arm DDI0218 PL080/PL081 TRM; QEMU hw/dma/pl080.c): two
// channels, one AHB master, 16 request lines.
//   0x000 IntStatus        (IntTCStatus | IntErrorStatus) per channel
//   0x004 IntTCStatus      terminal count, masked by the channel's ITC
//   0x008 IntTCClear       write 1s
//   0x00C IntErrorStatus   error, masked by the channel's IE
//   0x010 IntErrClr        write 1s
//   0x014 RawIntTCStatus / 0x018 RawIntErrorStatus   before masking
//   0x01C EnbldChns        channel enable bits (cleared when a channel ends)
//   0x020-0x02C SoftBReq/SoftSReq/SoftLBReq/SoftLSReq   software requests (per request line)
//   0x030 Configuration    [0] E controller enable [1] M AHB master endianness (big: unsupported)
//   0x034 Sync             stored
//   0x100 + 0x20 n: SrcAddr, DestAddr, LLI, Control, Configuration of channel n
//     Control [11:0] TransferSize (source-width units) [14:12] SBSize [17:15] DBSize
//             [20:18] SWidth [23:21] DWidth [26] SI [27] DI [30:28] Prot [31] I
//     Configuration [0] E [4:1] SrcPeripheral [9:6] DestPeripheral [13:11] FlowCntrl
//             [14] IE [15] ITC [16] L [17] A (read-only) [18] H halt
//   0xFE0-0xFFC PeriphID 81 10 04 08, PCellID 0D F0 05 B1
// Model: a channel moves one source-width element per `element_cycles` (a bus read and a write
// through the board as bus master), lower channel number first. Flow control 0-3 (DMAC as flow
// controller) is modelled; with a peripheral side the channel moves an element only while that
// request line is active (a single request per element, sampled every `request_poll_cycles`
// while waiting; burst sizes are stored but every transfer is single, which the TRM allows for
// single requests). A bus error on either side stops the channel and sets its error status.
// TransferSize 0 completes at once. At the end of a transfer the channel loads the next LLI item
// (SrcAddr, DestAddr, LLI, Control from memory at LLI & ~3) or, with LLI 0, clears its E bit and
// raises its TC status if Control.I. Data passes straight through (no channel FIFO): A reads 0.
// Peripheral-controlled flow (FlowCntrl 4-7) and big-endian masters are not modelled: such a
// channel ends at once with an error. The DMACINTR output is IntStatus != 0.
#pragma once

#include <array>
#include <functional>

#include "sim_device.h"

namespace wasmio::io::sim {

class SimBoard;

class Pl081 final : public Apb32Device {
 public:
  static constexpr unsigned kChannels = 2;
  static constexpr unsigned kRequests = 16;
  using Request = std::function<bool()>;  // level of a DMA request line

  Pl081(DeviceConfig config, SimContext context, SimBoard& bus);
  static constexpr std::string_view kCompatible = "arm,pl081";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  IrqOutput& irq() { return irq_; }
  void connect_request(unsigned line, Request request);
  void set_element_cycles(Cycles c) { element_cycles_ = c != 0 ? c : 1; }
  void set_request_poll_cycles(Cycles c) { request_poll_cycles_ = c != 0 ? c : 1; }
  std::uint64_t elements_moved() const { return elements_; }
  // Wakes an idle controller after a request line went active (optional; it also polls).
  void request_changed();

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  struct Channel {
    std::uint32_t src = 0, dst = 0, lli = 0, control = 0, config = 0;
  };
  static void on_step(void* self, Cycles now);
  void step();
  void schedule();
  bool can_move(unsigned n) const;
  bool request_active(unsigned line) const;
  void end_channel(unsigned n, bool error);
  void update();

  SimBoard& bus_;
  std::array<Channel, kChannels> ch_{};
  std::uint32_t raw_tc_ = 0, raw_err_ = 0, config_ = 0, sync_ = 0;
  std::uint32_t soft_req_ = 0;
  std::array<Request, kRequests> requests_{};
  Cycles element_cycles_ = 4;
  Cycles request_poll_cycles_ = 16;
  std::uint64_t elements_ = 0;
  SimEvent step_{&Pl081::on_step, this};
  IrqOutput irq_;
};

}  // namespace wasmio::io::sim
