#include "async_io.h"

#include <algorithm>
#include <bit>

#include "../board/board_properties.h"
#include "../sim/pl081.h"
#include "../sim/sim_board.h"
#include "../sim/sim_ram.h"
#include "transfer.h"

namespace wasmio::io::async {

const char* async_status_name(std::int32_t status) {
  switch (status) {
    case kDone:
      return "done";
    case kRunning:
      return "running";
    case kBadHandle:
      return "not a granted window";
    case kUnsupported:
      return "no such transfer on this device";
    case kOutsideMemory:
      return "buffer outside the container's memory";
    case kOverlap:
      return "buffer overlaps one lent to a running transfer";
    case kTooMany:
      return "too many operations";
    case kBusy:
      return "device busy";
    case kInvalid:
      return "invalid transfer";
    case kDeviceError:
      return "device error";
    case kBusError:
      return "bus error";
    case kCancelled:
      return "cancelled";
    case kUnknownOp:
      return "unknown operation";
    default:
      return status > 0 ? "operation id" : "unknown status";
  }
}

const char* op_kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::kUartWrite:
      return "uart-write";
    case OpKind::kUartRead:
      return "uart-read";
    case OpKind::kSpiTransfer:
      return "spi-transfer";
    case OpKind::kI2cTransfer:
      return "i2c-transfer";
  }
  return "?";
}

// --- AsyncIo ---

AsyncIo::AsyncIo(sim::SimBoard& board, const BoardDescription& description, Options options)
    : board_(board), description_(description), options_(std::move(options)) {
  if (options_.max_ops_per_client == 0) options_.max_ops_per_client = 1;
  if (options_.chunk_bytes == 0) options_.chunk_bytes = 1;
  if (options_.dma_chunk_bytes == 0 || options_.dma_chunk_bytes > 0xFFF)
    options_.dma_chunk_bytes = 64;
  // Even and at least one 16-bit SPI frame: a chunk is a whole number of frames.
  options_.dma_chunk_bytes = std::max<std::uint32_t>(2, options_.dma_chunk_bytes & ~1u);
  for (sim::SimDevice* d : board_.devices()) {
    if (dma_ == nullptr && d->kind() == sim::Pl081::kCompatible) dma_ = static_cast<sim::Pl081*>(d);
  }
}

bool AsyncIo::dma_route(const BoardNode& device, bool tx, DmaRoute* out) const {
  if (!options_.use_dma || dma_ == nullptr) return false;
  const BoardProperty* dmas = find_property(device, "dmas");
  if (dmas == nullptr) return false;
  const auto names = property_strings(device, "dma-names");
  const BoardNode* dmac = node_of(dma_->config().window.address);
  if (dmac == nullptr) return false;
  const auto phandle = property_u32(*dmac, "phandle");
  for (std::size_t e = 0; e < names.size() && 12 * (e + 1) <= dmas->value.size(); ++e) {
    if (names[e] != (tx ? "tx" : "rx")) continue;
    if (property_u32(device, "dmas", 3 * e) != phandle) continue;
    DmaRoute r;
    r.dmac = dma_->config().window.address;
    r.dmac_line = dmac->irqs.empty() ? UINT32_MAX : dmac->irqs[0];
    r.request = *property_u32(device, "dmas", 3 * e + 1);
    r.chunk = options_.dma_chunk_bytes;
    sim::SimRam* ram = nullptr;
    for (sim::SimDevice* d : board_.devices()) {
      if (ram == nullptr && d->kind() == sim::SimRam::kCompatible)
        ram = static_cast<sim::SimRam*>(d);
    }
    r.staging = options_.dma_staging != 0 ? options_.dma_staging
                : ram != nullptr          ? ram->config().window.address
                                          : 0;
    if (ram != nullptr) {
      const auto& w = ram->config().window;
      if (r.staging >= w.address && r.staging + 2 * r.chunk <= w.address + w.size) {
        r.ram = ram;
        r.ram_base = w.address;
      }
    }
    if (r.staging == 0) return false;
    *out = r;
    return true;
  }
  return false;
}

std::uint32_t AsyncIo::take_spare_line() {
  auto used = [&](std::uint32_t line) {
    for (const BoardNode& n : description_.nodes) {
      if (std::find(n.irqs.begin(), n.irqs.end(), line) != n.irqs.end()) return true;
    }
    return std::find(claimed_.begin(), claimed_.end(), line) != claimed_.end() ||
           std::find(spare_lines_taken_.begin(), spare_lines_taken_.end(), line) !=
               spare_lines_taken_.end();
  };
  for (std::uint32_t line = board_.irqs().num_lines(); line-- > 0;) {
    if (used(line)) continue;
    spare_lines_taken_.push_back(line);
    return line;
  }
  return UINT32_MAX;
}

void AsyncIo::give_spare_line(std::uint32_t line) {
  std::erase(spare_lines_taken_, line);
}

void AsyncIo::raise(std::uint32_t line) {
  if (options_.raise_line) {
    options_.raise_line(line);
  } else {
    board_.irqs().set_pending(line);
  }
}

std::uint32_t AsyncIo::take_dma_channel() {
  for (std::uint32_t n = 0; n < sim::Pl081::kChannels; ++n) {
    if ((dma_channels_in_use_ >> n & 1) == 0) {
      dma_channels_in_use_ |= 1u << n;
      return n;
    }
  }
  return UINT32_MAX;
}

std::uint32_t AsyncIo::free_dma_channels() const {
  if (dma_ == nullptr) return 0;
  return sim::Pl081::kChannels - static_cast<std::uint32_t>(std::popcount(dma_channels_in_use_));
}

void AsyncIo::give_dma_channel(std::uint32_t channel) {
  dma_channels_in_use_ &= ~(1u << channel);
}

AsyncIo::~AsyncIo() {
  // Clients may outlive the service: cancel what they run now and cut them loose.
  for (AsyncClient* c : std::vector<AsyncClient*>(clients_)) {
    c->cancel_all();
    c->orphaned_ = true;
  }
  clients_.clear();
}

std::unique_ptr<AsyncClient> AsyncIo::client(std::string name, AsyncClient::Notifier notify) {
  std::unique_ptr<AsyncClient> c(
      new AsyncClient(*this, std::move(name), std::move(notify), options_.max_ops_per_client));
  clients_.push_back(c.get());
  return c;
}

const BoardNode* AsyncIo::node_of(std::uint64_t address) const {
  for (const BoardNode& n : description_.nodes) {
    for (const RegWindow& r : n.regs) {
      if (address >= r.address && address - r.address < r.size && n.enabled) return &n;
    }
  }
  return nullptr;
}

void AsyncIo::claim(std::uint32_t line) {
  if (std::find(claimed_.begin(), claimed_.end(), line) != claimed_.end()) return;
  claimed_.push_back(line);
  if (options_.claim_line) {
    options_.claim_line(line);
  } else {
    board_.irqs().enable(line);
  }
}

void AsyncIo::attach(Transfer* t) {
  running_.push_back(t);
}
void AsyncIo::detach(Transfer* t) {
  std::erase(running_, t);
}
std::size_t AsyncIo::running() const {
  return running_.size();
}

bool AsyncIo::device_busy(std::uint64_t address, OpKind kind) const {
  for (const Transfer* t : running_) {
    if (t->device() == address && t->kind() == kind) return true;
  }
  return false;
}

void AsyncIo::transfer_stepped(Transfer* t) {
  if (!t->finished()) return;
  AsyncClient& c = t->client();
  if (AsyncClient::Slot* s = c.find(t->op())) c.finish(*s, t->status(), t->done());
}

bool AsyncIo::on_interrupt(std::uint32_t line) {
  bool any = false;
  for (const Transfer* t : running_) any = any || t->waits_on(line);
  if (depth_ != 0) {
    // Masked until the section ends (the level would pend it again at once).
    if (std::find(held_.begin(), held_.end(), line) == held_.end()) held_.push_back(line);
    board_.irqs().disable(line);
    return any;
  }
  Section section(*this);
  service_line(line);
  return any;
}

std::uint64_t AsyncIo::now() const {
  return board_.clock().now();
}

void AsyncIo::service_line(std::uint32_t line) {
  ++interrupts_;
  board_.clock().advance(options_.interrupt_cycles);
  for (Transfer* t : std::vector<Transfer*>(running_)) {
    // A transfer finished by an earlier one's bus accesses (timer events) is gone already.
    if (std::find(running_.begin(), running_.end(), t) == running_.end()) continue;
    if (!t->waits_on(line)) continue;
    t->service();
    transfer_stepped(t);
  }
}

void AsyncIo::drain_held() {
  while (!held_.empty()) {
    const std::uint32_t line = held_.front();
    held_.erase(held_.begin());
    const std::uint64_t start = now();
    ++depth_;
    service_line(line);
    --depth_;
    host_cycles_ += now() - start;
    board_.irqs().enable(line);
  }
}

void AsyncIo::run_until_idle(std::uint64_t deadline) {
  while (!running_.empty() && board_.clock().now() < deadline) {
    const auto line = board_.wait_for_interrupt(deadline);
    if (!line) break;
    board_.irqs().acknowledge(*line);
    on_interrupt(*line);
    board_.irqs().complete(*line);
  }
}

// --- AsyncClient ---

AsyncClient::AsyncClient(AsyncIo& service, std::string name, Notifier notify, std::uint32_t max_ops)
    : service_(service), name_(std::move(name)), notify_(std::move(notify)), slots_(max_ops) {}

AsyncClient::~AsyncClient() {
  if (orphaned_) return;
  cancel_all();
  if (completion_line_ != UINT32_MAX) service_.give_spare_line(completion_line_);
  std::erase(service_.clients_, this);
}

std::uint32_t AsyncClient::enable_completion_irq() {
  if (completion_line_ == UINT32_MAX && !orphaned_) completion_line_ = service_.take_spare_line();
  return completion_line_;
}

std::int32_t AsyncClient::next_completed() {
  Slot* first = nullptr;
  for (Slot& s : slots_) {
    if (s.completed_seq != 0 && (first == nullptr || s.completed_seq < first->completed_seq))
      first = &s;
  }
  if (first == nullptr) return 0;
  first->completed_seq = 0;
  return first->id;
}

void AsyncClient::bind(const ContainerBinding& binding, WindowSource& windows) {
  cancel_all();
  windows_.clear();
  labels_.clear();
  for (const GrantedWindow& g : binding.windows) {
    RegisterWindow w;
    std::string error;
    if (!windows.open(g, &w, &error)) w = RegisterWindow{};  // size 0: refused as kBadHandle
    windows_.push_back(w);
    labels_.push_back(g.label);
  }
}

std::span<std::uint8_t> AsyncClient::guest(std::uint32_t ptr, std::uint32_t len) const {
  if (instance_ == nullptr) return {};
  MemoryInstance* memory = instance_->memory(0);
  if (memory == nullptr) return {};
  const std::span<std::uint8_t> all = Store::memory_data(memory);
  if (std::uint64_t{ptr} + len > all.size()) return {};
  return all.subspan(ptr, len);
}

AsyncClient::Slot* AsyncClient::find(std::int32_t op) {
  if (op <= 0) return nullptr;
  for (Slot& s : slots_) {
    if (s.id == op) return &s;
  }
  return nullptr;
}
const AsyncClient::Slot* AsyncClient::find(std::int32_t op) const {
  return const_cast<AsyncClient*>(this)->find(op);
}

std::size_t AsyncClient::running() const {
  std::size_t n = 0;
  for (const Slot& s : slots_) n += s.transfer != nullptr ? 1 : 0;
  return n;
}

namespace {
bool overlaps(std::uint32_t a, std::uint32_t alen, std::uint32_t b, std::uint32_t blen) {
  return alen != 0 && blen != 0 && std::uint64_t{a} < std::uint64_t{b} + blen &&
         std::uint64_t{b} < std::uint64_t{a} + alen;
}
}  // namespace

std::int32_t AsyncClient::start(OpKind kind, std::int32_t handle, std::uint32_t a_ptr,
                                std::uint32_t a_len, std::uint32_t b_ptr, std::uint32_t b_len,
                                std::uint32_t events, std::uint32_t extra) {
  if (orphaned_) return kUnsupported;
  if ((events & kEventCompletionIrq) != 0 && completion_line_ == UINT32_MAX) return kInvalid;
  if (handle < 0 || static_cast<std::size_t>(handle) >= windows_.size() ||
      windows_[handle].size() == 0) {
    return kBadHandle;
  }
  const RegisterWindow regs = windows_[handle];
  const BoardNode* node = service_.node_of(regs.base());
  if (node == nullptr) return kUnsupported;
  const bool uart = is_compatible(*node, "arm,cmsdk-uart");
  const bool spi = is_compatible(*node, "arm,pl022");
  const bool i2c = is_compatible(*node, "arm,versatile-i2c");
  if (((kind == OpKind::kUartWrite || kind == OpKind::kUartRead) && !uart) ||
      (kind == OpKind::kSpiTransfer && !spi) || (kind == OpKind::kI2cTransfer && !i2c)) {
    return kUnsupported;
  }
  if (a_len == 0 && b_len == 0) return kInvalid;
  if (kind == OpKind::kI2cTransfer && extra > 0x7F) return kInvalid;
  // Buffers: inside memory, not overlapping a lent one (nor each other, unless identical).
  if ((a_len != 0 && guest(a_ptr, a_len).size() != a_len) ||
      (b_len != 0 && guest(b_ptr, b_len).size() != b_len)) {
    return kOutsideMemory;
  }
  if (overlaps(a_ptr, a_len, b_ptr, b_len) && !(a_ptr == b_ptr && a_len == b_len)) return kOverlap;
  for (const Slot& s : slots_) {
    if (s.transfer == nullptr) continue;
    if (overlaps(a_ptr, a_len, s.a_ptr, s.a_len) || overlaps(a_ptr, a_len, s.b_ptr, s.b_len) ||
        overlaps(b_ptr, b_len, s.a_ptr, s.a_len) || overlaps(b_ptr, b_len, s.b_ptr, s.b_len)) {
      return kOverlap;
    }
  }
  Slot* slot = nullptr;
  for (Slot& s : slots_) {
    if (s.id == 0) {
      slot = &s;
      break;
    }
  }
  if (slot == nullptr) return kTooMany;
  if (service_.device_busy(regs.base(), kind)) return kBusy;

  const std::int32_t id = next_id_;
  next_id_ = next_id_ == INT32_MAX ? 1 : next_id_ + 1;
  std::unique_ptr<Transfer> t;
  switch (kind) {
    case OpKind::kUartWrite:
    case OpKind::kUartRead: {
      DmaRoute route;
      if (service_.dma_route(*node, kind == OpKind::kUartWrite, &route) &&
          service_.free_dma_channels() >= 1) {
        t = make_uart_dma_transfer(service_, *this, id, kind, regs, route, a_ptr, a_len);
      } else {
        t = make_uart_transfer(service_, *this, id, kind, regs, *node, a_ptr, a_len);
      }
      break;
    }
    case OpKind::kSpiTransfer: {
      DmaRoute tx, rx;
      if (service_.dma_route(*node, true, &tx) && service_.dma_route(*node, false, &rx) &&
          service_.free_dma_channels() >= 2) {
        t = make_spi_dma_transfer(service_, *this, id, regs, *node, tx, rx, a_ptr, b_ptr, a_len);
      } else {
        t = make_spi_transfer(service_, *this, id, regs, *node, a_ptr, b_ptr, a_len);
      }
      break;
    }
    case OpKind::kI2cTransfer:
      t = make_i2c_transfer(service_, *this, id, regs, static_cast<std::uint8_t>(extra), a_ptr,
                            a_len, b_ptr, b_len);
      break;
  }
  *slot = Slot{};
  slot->id = id;
  slot->kind = kind;
  slot->events = events;
  slot->a_ptr = a_ptr;
  slot->a_len = a_len;
  slot->b_ptr = b_ptr;
  slot->b_len = b_len;
  Transfer* raw = t.get();
  slot->transfer = std::move(t);
  AsyncIo::Section section(service_);
  service_.attach(raw);
  const std::int32_t started = raw->start();
  if (started != kRunning) {  // refused by the device state: nothing lent
    service_.detach(raw);
    *slot = Slot{};
    return started;
  }
  service_.transfer_stepped(raw);  // finished within start (short transfer)
  return id;
}

void AsyncClient::finish(Slot& slot, std::int32_t status, std::uint32_t bytes_done) {
  if (slot.transfer == nullptr) return;
  service_.detach(slot.transfer.get());
  slot.transfer.reset();
  slot.result = OpResult{status, bytes_done};
  slot.a_len = slot.b_len = 0;  // handed back
  const std::uint32_t task_bits = slot.events & ~kEventCompletionIrq;
  if (notify_ && task_bits != 0) notify_(task_bits);
  if ((slot.events & kEventCompletionIrq) != 0) {
    slot.completed_seq = ++completed_seq_;
    service_.raise(completion_line_);
  }
}

std::int32_t AsyncClient::uart_write(std::int32_t handle, std::uint32_t ptr, std::uint32_t len,
                                     std::uint32_t events) {
  return start(OpKind::kUartWrite, handle, ptr, len, 0, 0, events, 0);
}
std::int32_t AsyncClient::uart_read(std::int32_t handle, std::uint32_t ptr, std::uint32_t len,
                                    std::uint32_t events) {
  return start(OpKind::kUartRead, handle, ptr, len, 0, 0, events, 0);
}
std::int32_t AsyncClient::spi_transfer(std::int32_t handle, std::uint32_t tx_ptr,
                                       std::uint32_t rx_ptr, std::uint32_t len,
                                       std::uint32_t events) {
  if (len == 0) return kInvalid;
  return start(OpKind::kSpiTransfer, handle, tx_ptr, len, rx_ptr, len, events, 0);
}
std::int32_t AsyncClient::i2c_transfer(std::int32_t handle, std::uint32_t address,
                                       std::uint32_t wr_ptr, std::uint32_t wr_len,
                                       std::uint32_t rd_ptr, std::uint32_t rd_len,
                                       std::uint32_t events) {
  return start(OpKind::kI2cTransfer, handle, wr_ptr, wr_len, rd_ptr, rd_len, events, address);
}

OpResult AsyncClient::peek_result(std::int32_t op) const {
  const Slot* s = find(op);
  if (s == nullptr) return OpResult{kUnknownOp, 0};
  if (s->transfer != nullptr) return OpResult{kRunning, s->transfer->done()};
  return s->result;
}

OpResult AsyncClient::take_result(std::int32_t op) {
  Slot* s = find(op);
  if (s == nullptr) return OpResult{kUnknownOp, 0};
  if (s->transfer != nullptr) return OpResult{kRunning, s->transfer->done()};
  const OpResult r = s->result;
  *s = Slot{};
  return r;
}

std::int32_t AsyncClient::cancel(std::int32_t op) {
  Slot* s = find(op);
  if (s == nullptr) return kUnknownOp;
  if (s->transfer == nullptr) return kDone;  // already finished: result unchanged
  AsyncIo::Section section(service_);
  Transfer* t = s->transfer.get();
  t->quiesce();
  finish(*s, kCancelled, t->done());
  return kDone;
}

void AsyncClient::cancel_all() {
  if (orphaned_) return;
  AsyncIo::Section section(service_);
  for (Slot& s : slots_) {
    if (s.transfer == nullptr) continue;
    s.transfer->quiesce();
    service_.detach(s.transfer.get());
    s.transfer.reset();
    s.result = OpResult{kCancelled, 0};
    s.a_len = s.b_len = 0;
  }
  for (Slot& s : slots_) s = Slot{};
}

}  // namespace wasmio::io::async
