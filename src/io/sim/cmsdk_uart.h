// CMSDK APB UART (Arm DDI0479, QEMU hw/char/cmsdk-apb-uart.c):
//   0x00 DATA      write: transmit; read: the received byte (clears STATE.RXFULL)
//   0x04 STATE     [0] TX buffer full [1] RX buffer full [2] TX overrun [3] RX overrun;
//                  overrun bits are write-1-to-clear
//   0x08 CTRL      [0] TX enable [1] RX enable [2] TX int [3] RX int [4] TX overrun int
//                  [5] RX overrun int [6] high-speed test mode
//   0x0C INTSTATUS [0] TX [1] RX [2] TX overrun [3] RX overrun; write 1 to clear (INTCLEAR);
//                  clearing an overrun bit also clears it in STATE (the overrun interrupt bits
//                  are STATE overrun AND its CTRL enable)
//   0x10 BAUDDIV   20 bits, minimum 16
//   0xFD0-0xFFC    ID registers
// Timing as silicon, which QEMU does not model: one holding byte plus a shift register; a frame
// (start + 8 data + stop bits) takes 10 x BAUDDIV cycles (BAUDDIV < 16 counts as 16). Writing DATA
// with the shifter idle moves the byte straight into it, so TXFULL clears and the TX interrupt
// (buffer emptied) comes at once, as in QEMU; the sink receives the byte when its frame ends.
// RX: injected bytes arrive one frame apart. By default the line is flow-controlled like QEMU's
// chardev (a byte waits while RX is disabled or RXFULL); without flow control a byte arriving
// while RXFULL sets RX overrun and replaces the buffer, and one arriving with RX disabled is lost.
// Outputs: tx, rx, overrun (TX|RX overrun; AN385 ORs UART0-2's into line 12), combined (any).
#pragma once

#include <deque>
#include <span>

#include "byte_sink.h"
#include "sim_device.h"

namespace wasmio::io::sim {

class CmsdkUart final : public Apb32Device {
 public:
  CmsdkUart(DeviceConfig config, SimContext context);
  static constexpr std::string_view kCompatible = "arm,cmsdk-uart";
  std::string_view kind() const override { return kCompatible; }
  void reset() override;

  IrqOutput& tx_irq() { return tx_irq_; }
  IrqOutput& rx_irq() { return rx_irq_; }
  IrqOutput& overrun_irq() { return overrun_irq_; }
  IrqOutput& combined_irq() { return combined_irq_; }

  // Transmit side: every byte also lands in transmitted() unless a sink replaces it.
  void set_sink(ByteSink* sink) { sink_ = sink != nullptr ? sink : &own_sink_; }
  const BufferSink& transmitted() const { return own_sink_; }
  // Receive side: bytes put on the RX wire now; they arrive one frame time apart.
  void inject_rx(std::span<const std::uint8_t> bytes);
  void inject_rx(std::string_view text);
  void set_rx_flow_control(bool on) { rx_flow_control_ = on; }
  std::size_t rx_waiting() const { return rx_wire_.size(); }
  Cycles frame_cycles() const;
  // DMA request levels for a board that wires them (the CMSDK UART itself has no DMA
  // handshake; mps2-an385-dma.dts routes these to its PL081): TX buffer free with TX enabled,
  // RX byte waiting.
  bool dma_tx_request() const { return (ctrl_ & 1) != 0 && (state_ & 1) == 0; }
  bool dma_rx_request() const { return (state_ & 2) != 0; }

 protected:
  std::uint32_t read_register(std::uint32_t offset) override;
  void write_register(std::uint32_t offset, std::uint32_t value) override;

 private:
  static void on_tx_done(void* self, Cycles now);
  static void on_rx_arrival(void* self, Cycles now);
  void try_start_tx();
  void arm_rx();
  void update();

  // state (names as in the TRM)
  std::uint32_t state_ = 0;
  std::uint32_t ctrl_ = 0;
  std::uint32_t intstatus_ = 0;
  std::uint32_t bauddiv_ = 0;
  std::uint8_t txbuf_ = 0;
  std::uint8_t rxbuf_ = 0;
  bool shifting_ = false;
  std::uint8_t shifter_ = 0;
  std::deque<std::uint8_t> rx_wire_;
  bool rx_flow_control_ = true;

  SimEvent tx_done_{&CmsdkUart::on_tx_done, this};
  SimEvent rx_arrival_{&CmsdkUart::on_rx_arrival, this};
  IrqOutput tx_irq_, rx_irq_, overrun_irq_, combined_irq_;
  BufferSink own_sink_;
  ByteSink* sink_ = &own_sink_;
};

}  // namespace wasmio::io::sim
