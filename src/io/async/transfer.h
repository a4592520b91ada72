// The device side of one running operation: the base class the UART, PL022 and SBCon transfers
// share. A transfer is created by AsyncClient::start, runs from interrupts or timer events, and
// is destroyed by the client when it has finished (after its result is recorded) or on cancel.
#pragma once

#include <cstdint>
#include <memory>

#include "async_io.h"

namespace wasmio::io::sim {
class SimRam;
}

namespace wasmio::io::async {

class Transfer {
 public:
  Transfer(AsyncIo& service, AsyncClient& client, std::int32_t op, OpKind kind, RegisterWindow regs,
           std::uint64_t device)
      : service_(service), client_(client), op_(op), kind_(kind), regs_(regs), device_(device) {}
  virtual ~Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Sets the device up and moves the first chunk; may finish at once. The status if the device
  // cannot take the transfer (then nothing was changed).
  virtual std::int32_t start() = 0;
  // An interrupt on one of lines() (or the transfer's own timer) fired.
  virtual void service() = 0;
  // Cancel: stop the device side now and leave the device quiescent (interrupt enables as the
  // driver had them, no request pending). Bytes already handed to the device may still leave.
  virtual void quiesce() = 0;

  bool waits_on(std::uint32_t line) const { return line == line_a_ || line == line_b_; }
  std::uint64_t device() const { return device_; }
  OpKind kind() const { return kind_; }
  std::int32_t op() const { return op_; }
  AsyncClient& client() const { return client_; }
  bool finished() const { return finished_; }
  std::int32_t status() const { return status_; }
  std::uint32_t done() const { return done_; }

 protected:
  void finish(std::int32_t status) {
    finished_ = true;
    status_ = status;
  }
  // Ends the transfer: the device handed back first (once, however it ends), then the result.
  void end(std::int32_t status) {
    restore();
    finish(status);
  }
  void restore() {
    if (restored_) return;
    restored_ = true;
    restore_device();
  }
  // What the transfer took from the device (interrupt enables, a DMA channel), given back.
  virtual void restore_device() {}
  std::uint32_t rd(std::uint64_t offset) {
    const RegRead r = regs_.read(offset, 4);
    if (r.status != RegStatus::kOk) bus_fault_ = true;
    return static_cast<std::uint32_t>(r.value);
  }
  void wr(std::uint64_t offset, std::uint32_t value) {
    if (regs_.write(offset, 4, value) != RegStatus::kOk) bus_fault_ = true;
  }
  void use_line(std::uint32_t line) {
    if (line == UINT32_MAX) return;
    if (line_a_ == UINT32_MAX)
      line_a_ = line;
    else
      line_b_ = line;
    service_.claim(line);
  }

  AsyncIo& service_;
  AsyncClient& client_;
  const std::int32_t op_;
  const OpKind kind_;
  RegisterWindow regs_;
  const std::uint64_t device_;
  std::uint32_t line_a_ = UINT32_MAX, line_b_ = UINT32_MAX;
  std::uint32_t done_ = 0;
  bool bus_fault_ = false;

 private:
  bool finished_ = false;
  bool restored_ = false;
  std::int32_t status_ = kRunning;
};

// How one direction of a device (UART, PL022) reaches the DMAC (AsyncIo::dma_route).
struct DmaRoute {
  std::uint64_t dmac = 0;  // DMAC register base
  std::uint32_t dmac_line = UINT32_MAX;
  std::uint32_t request = 0;  // the device direction's request line
  std::uint64_t staging = 0;  // bus address of the staging area (chunk bytes per channel)
  std::uint32_t chunk = 64;
  sim::SimRam* ram = nullptr;  // the RAM holding the staging area (null: unmapped)
  std::uint64_t ram_base = 0;
};

// Factories (one file each); the board node says which device the window is.
std::unique_ptr<Transfer> make_uart_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                             OpKind kind, RegisterWindow regs,
                                             const BoardNode& node, std::uint32_t ptr,
                                             std::uint32_t len);
std::unique_ptr<Transfer> make_uart_dma_transfer(AsyncIo& service, AsyncClient& client,
                                                 std::int32_t op, OpKind kind, RegisterWindow regs,
                                                 const DmaRoute& route, std::uint32_t ptr,
                                                 std::uint32_t len);
std::unique_ptr<Transfer> make_spi_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                            RegisterWindow regs, const BoardNode& node,
                                            std::uint32_t tx_ptr, std::uint32_t rx_ptr,
                                            std::uint32_t len);
std::unique_ptr<Transfer> make_spi_dma_transfer(AsyncIo& service, AsyncClient& client,
                                                std::int32_t op, RegisterWindow regs,
                                                const BoardNode& node, const DmaRoute& tx_route,
                                                const DmaRoute& rx_route, std::uint32_t tx_ptr,
                                                std::uint32_t rx_ptr, std::uint32_t len);
std::unique_ptr<Transfer> make_i2c_transfer(AsyncIo& service, AsyncClient& client, std::int32_t op,
                                            RegisterWindow regs, std::uint8_t address,
                                            std::uint32_t wr_ptr, std::uint32_t wr_len,
                                            std::uint32_t rd_ptr, std::uint32_t rd_len);

}  // namespace wasmio::io::async
