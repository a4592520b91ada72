#include "register_backend.h"

#include "../sim/sim_board.h"

namespace wasmio::io {

const char* reg_status_name(RegStatus status) {
  switch (status) {
    case RegStatus::kOk: return "ok";
    case RegStatus::kOutOfWindow: return "access outside the register window";
    case RegStatus::kBadWidth: return "access width not allowed in this window";
    case RegStatus::kMisaligned: return "misaligned register access";
    case RegStatus::kBusError: return "bus error";
  }
  return "bus error";
}

namespace {

RegStatus from_bus(sim::BusStatus s) {
  switch (s) {
    case sim::BusStatus::kOk: return RegStatus::kOk;
    case sim::BusStatus::kBadWidth: return RegStatus::kBadWidth;
    case sim::BusStatus::kMisaligned: return RegStatus::kMisaligned;
    case sim::BusStatus::kUnmapped: return RegStatus::kBusError;
  }
  return RegStatus::kBusError;
}

RegRead sim_read(void* board, std::uint64_t address, unsigned width) {
  const sim::BusRead r = static_cast<sim::SimBoard*>(board)->read(address, width);
  return RegRead{r.value, from_bus(r.status)};
}

RegStatus sim_write(void* board, std::uint64_t address, unsigned width, std::uint64_t value) {
  return from_bus(static_cast<sim::SimBoard*>(board)->write(address, width, value));
}

constexpr RegisterDeviceOps kSimBoardOps{&sim_read, &sim_write};

}  // namespace

RegisterWindow sim_register_window(sim::SimBoard& board, std::uint64_t base, std::uint64_t size,
                                   unsigned max_width) {
  return RegisterWindow::device(base, size, &kSimBoardOps, &board, max_width);
}

}  // namespace wasmio::io
