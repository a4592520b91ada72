// The asynchronous I/O service: split-phase transfers on buffers in a driver container's linear
// memory (docs/design/0012-async-io.md).
//
// A container starts a transfer (UART block write/read, PL022 full-duplex transfer, SBCon I2C
// write-then-read) on a register window it was granted, gets an operation id, and later a
// completion: the event flags it named are posted (task level) and the result can be polled.
// While a transfer runs its buffers are lent to the host: the guest must neither read nor write
// them. They are handed back when the transfer completes, fails (with the error and the bytes
// done) or is cancelled. The host never keeps a pointer into linear memory: every chunk
// re-resolves the guest offset against the memory as it is then (memory.grow may move it).
//
// The service drives each transfer from the device's own interrupt (UART, PL022: the embedder
// routes the line to on_interrupt at E0 or E1/2) or from a virtual-time timer (SBCon, which has
// no interrupt), chunk by chunk; with a PL081 DMA controller on the board, UART transfers go
// through it (the service only handles the DMA completion interrupt).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../access/register_backend.h"
#include "../bind/binding.h"
#include "../container/window_source.h"
#include "async_status.h"
#include "wasmio/engine.h"

namespace wasmio::io {
namespace sim {
class SimBoard;
class Pl081;
}  // namespace sim

namespace async {

inline constexpr std::string_view kImportModule = "wasmio_async";

// Completion at the container's interrupt level (docs/design/0012-async-io.md §8): an op started
// with this bit in `events` also raises the container's completion line (a spare interrupt line
// of the controller, one per container, pended by software as NVIC STIR does) when it ends; the
// line's handler is the container's export kCompletionHandler, run at E1/4 under its budget.
// The bit is never posted to the task (it is the scheduler's fault event there).
inline constexpr std::uint32_t kEventCompletionIrq = 0x80000000u;
inline constexpr std::string_view kCompletionHandler = "wasmio_async_irq";

enum class OpKind : std::uint8_t { kUartWrite, kUartRead, kSpiTransfer, kI2cTransfer };
const char* op_kind_name(OpKind kind);

class AsyncIo;
class AsyncClient;
class Transfer;  // one running operation's device side (transfer_*.cpp)
struct DmaRoute;

// What a completed (or failed, or cancelled) operation reports.
struct OpResult {
  std::int32_t status = kRunning;
  std::uint32_t bytes_done = 0;  // UART/SPI: bytes moved; I2C: bytes written + bytes read
};

// One container's view of the service: its granted windows, its operation slots.
class AsyncClient {
 public:
  using Notifier = std::function<void(std::uint32_t event_bits)>;
  // Cancels everything still running and leaves the devices quiescent. A client may outlive
  // its service (its transfers were cancelled when the service went; starts are refused).
  ~AsyncClient();
  AsyncClient(const AsyncClient&) = delete;
  AsyncClient& operator=(const AsyncClient&) = delete;

  const std::string& name() const { return name_; }
  // The register windows in grant order (the handles of module "wasmio").
  void bind(const ContainerBinding& binding, WindowSource& windows);
  // The instance whose memory 0 holds the buffers (set by every start call from the guest).
  void set_instance(Instance* instance) { instance_ = instance; }

  // Starting: an op id (> 0) or a negative AsyncStatus; nothing is lent on a refusal.
  std::int32_t uart_write(std::int32_t handle, std::uint32_t ptr, std::uint32_t len,
                          std::uint32_t events);
  std::int32_t uart_read(std::int32_t handle, std::uint32_t ptr, std::uint32_t len,
                         std::uint32_t events);
  // `len` bytes out of tx_ptr and into rx_ptr (tx_ptr == rx_ptr: in place). Frames of 9..16 bits
  // take two bytes each (little endian), so len must be even then.
  std::int32_t spi_transfer(std::int32_t handle, std::uint32_t tx_ptr, std::uint32_t rx_ptr,
                            std::uint32_t len, std::uint32_t events);
  // START, address+W, wr_len bytes, (repeated) START, address+R, rd_len bytes, STOP; either
  // length may be 0 (not both).
  std::int32_t i2c_transfer(std::int32_t handle, std::uint32_t address, std::uint32_t wr_ptr,
                            std::uint32_t wr_len, std::uint32_t rd_ptr, std::uint32_t rd_len,
                            std::uint32_t events);

  // The completion line: allocates a spare line of the controller for this client (once; the
  // same line afterwards). UINT32_MAX when none is free. Until then, starts that ask for
  // kEventCompletionIrq are refused with kInvalid.
  std::uint32_t enable_completion_irq();
  std::uint32_t completion_line() const { return completion_line_; }
  // For the completion handler: an op that ended and asked for kEventCompletionIrq, in the
  // order they ended, each once (its result is then taken as usual); 0 when none is left.
  std::int32_t next_completed();

  // kRunning while it runs; else the final result, and the op id is freed.
  OpResult take_result(std::int32_t op);
  OpResult peek_result(std::int32_t op) const;
  // kDone: it was running and is now cancelled (its result says kCancelled and the bytes done);
  // kRunning never; 1 (kRunning) is not returned: an op that already finished gives kDone too
  // with its result untouched. kUnknownOp for anything else.
  std::int32_t cancel(std::int32_t op);
  void cancel_all();
  std::size_t running() const;

  // Host functions of module "wasmio_async" for this client (filled into `externs` for the
  // imports of that module); false with `*error` for an import it does not provide.
  bool imports(Store& store, const Module& module, std::vector<Extern>& externs,
               std::string* error);

  // --- used by the transfers ---
  // The guest bytes [ptr, ptr+len) as memory is now; empty if no longer inside it.
  std::span<std::uint8_t> guest(std::uint32_t ptr, std::uint32_t len) const;

 private:
  friend class AsyncIo;
  friend class Transfer;
  AsyncClient(AsyncIo& service, std::string name, Notifier notify, std::uint32_t max_ops);

  struct Slot {
    std::int32_t id = 0;  // 0 = free
    OpKind kind = OpKind::kUartWrite;
    std::unique_ptr<Transfer> transfer;  // null once finished
    OpResult result;
    std::uint32_t events = 0;
    std::uint64_t completed_seq = 0;  // > 0: ended, not yet returned by next_completed
    // Lent ranges (len 0 = none).
    std::uint32_t a_ptr = 0, a_len = 0, b_ptr = 0, b_len = 0;
  };
  std::int32_t start(OpKind kind, std::int32_t handle, std::uint32_t a_ptr, std::uint32_t a_len,
                     std::uint32_t b_ptr, std::uint32_t b_len, std::uint32_t events,
                     std::uint32_t extra);
  Slot* find(std::int32_t op);
  const Slot* find(std::int32_t op) const;
  void finish(Slot& slot, std::int32_t status, std::uint32_t bytes_done);  // hands buffers back

  AsyncIo& service_;
  bool orphaned_ = false;  // the service went first: every call is refused, nothing runs
  std::string name_;
  Notifier notify_;
  std::vector<Slot> slots_;
  std::int32_t next_id_ = 1;
  std::vector<RegisterWindow> windows_;
  std::vector<std::string> labels_;
  Instance* instance_ = nullptr;
  std::uint32_t completion_line_ = UINT32_MAX;
  std::uint64_t completed_seq_ = 0;
};

class AsyncIo {
 public:
  struct Options {
    std::uint32_t max_ops_per_client = 4;
    // Per service call: the most bytes moved before yielding (bounds E0/E1/2 time).
    std::uint32_t chunk_bytes = 16;
    // Host work charged to virtual time per interrupt serviced (entry, dispatch, return).
    std::uint64_t interrupt_cycles = 40;
    // I2C bit rate of the bit-banged SBCon (one bit per timer event).
    std::uint32_t i2c_hz = 100'000;
    // Use the board's PL081 (if any) for UART and PL022 transfers whose device lists it in
    // `dmas`, in chunks of dma_chunk_bytes staged at dma_staging (0: the start of the board's
    // first mmio-sram). A PL022 transfer needs both channels; while one is taken it runs
    // interrupt-driven instead (same result).
    bool use_dma = true;
    std::uint32_t dma_chunk_bytes = 64;  // 2..4094, even
    std::uint64_t dma_staging = 0;
    // Called once per interrupt line the service starts using; default: enable it at the
    // simulated board's interrupt controller. The embedder routes the line to on_interrupt.
    std::function<void(std::uint32_t line)> claim_line;
    // Pends a client's completion line (any context: called where the transfer ends, at E0
    // under the scheduler); default: the simulated controller's set_pending (NVIC STIR).
    std::function<void(std::uint32_t line)> raise_line;
  };

  AsyncIo(sim::SimBoard& board, const BoardDescription& description, Options options);
  AsyncIo(sim::SimBoard& board, const BoardDescription& description)
      : AsyncIo(board, description, Options{}) {}
  ~AsyncIo();
  AsyncIo(const AsyncIo&) = delete;
  AsyncIo& operator=(const AsyncIo&) = delete;

  // A client for a container; `notify` posts event bits (e.g. Scheduler::post_event).
  std::unique_ptr<AsyncClient> client(std::string name, AsyncClient::Notifier notify = {});

  // The device interrupt `line` fired: services every transfer waiting on it. True if one was.
  bool on_interrupt(std::uint32_t line);
  // For a simulated board without a scheduler: runs virtual time, taking interrupts of the
  // claimed lines (acknowledge, on_interrupt, complete), until nothing runs or `deadline`.
  void run_until_idle(std::uint64_t deadline);

  sim::SimBoard& board() { return board_; }
  const Options& options() const { return options_; }
  sim::Pl081* dma() const { return dma_; }
  std::uint64_t interrupts_serviced() const { return interrupts_; }
  // Virtual time the host CPU spent in the service (starts, interrupts, timers, cancels): the
  // bus accesses it made and interrupt entry/exit.
  std::uint64_t host_cycles() const { return host_cycles_; }
  std::size_t running() const;

  // --- used by clients and transfers ---
  const BoardNode* node_of(std::uint64_t address) const;
  void claim(std::uint32_t line);
  void attach(Transfer* t);
  void detach(Transfer* t);
  // A transfer ran from its own timer: record its result if it finished (destroys it).
  void transfer_stepped(Transfer* t);
  // The service's critical section: an interrupt arriving while the host is inside transfer
  // code (its bus accesses let time run, and under the scheduler E0 preempts) is held and
  // serviced when the section ends, as BASEPRI would hold it on the MCU.
  class Section {
   public:
    explicit Section(AsyncIo& s) : s_(s) {
      if (s_.depth_++ == 0) start_ = s_.now();
    }
    ~Section() {
      if (s_.depth_ == 1) s_.host_cycles_ += s_.now() - start_;
      if (--s_.depth_ == 0) s_.drain_held();
    }
    Section(const Section&) = delete;
    Section& operator=(const Section&) = delete;

   private:
    AsyncIo& s_;
    std::uint64_t start_ = 0;
  };
  bool device_busy(std::uint64_t address, OpKind kind) const;
  // The DMA route of a device direction, if the board has a PL081 wired to it and DMA is on.
  bool dma_route(const BoardNode& device, bool tx, DmaRoute* out) const;
  // A spare line of the controller: the highest one no devicetree node, claim or other client
  // uses. UINT32_MAX when none is left.
  std::uint32_t take_spare_line();
  void give_spare_line(std::uint32_t line);
  void raise(std::uint32_t line);
  std::uint32_t take_dma_channel();  // UINT32_MAX when both are in use
  std::uint32_t free_dma_channels() const;
  void give_dma_channel(std::uint32_t channel);

 private:
  friend class AsyncClient;
  sim::SimBoard& board_;
  const BoardDescription& description_;
  Options options_;
  sim::Pl081* dma_ = nullptr;
  std::uint32_t dma_channels_in_use_ = 0;
  std::vector<std::uint32_t> claimed_;
  std::vector<std::uint32_t> spare_lines_taken_;
  std::vector<Transfer*> running_;
  std::vector<AsyncClient*> clients_;
  std::uint64_t interrupts_ = 0;
  unsigned depth_ = 0;
  std::uint64_t host_cycles_ = 0;
  std::uint64_t now() const;
  std::vector<std::uint32_t> held_;
  void drain_held();
  void service_line(std::uint32_t line);
};

}  // namespace async
}  // namespace wasmio::io
