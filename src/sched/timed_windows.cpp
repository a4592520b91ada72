#include "timed_windows.h"

namespace wasmio::sched {

bool TimedWindows::open(const io::GrantedWindow& grant, io::RegisterWindow* out,
                        std::string* error) {
  io::RegisterWindow inner;
  if (!inner_.open(grant, &inner, error)) return false;
  windows_.push_back(Window{this, inner});
  static const io::RegisterDeviceOps ops = {&TimedWindows::read, &TimedWindows::write};
  *out = io::RegisterWindow::device(inner.base(), inner.size(), &ops, &windows_.back(),
                                    inner.max_width());
  return true;
}

io::RegRead TimedWindows::read(void* context, std::uint64_t address, unsigned width) {
  auto* w = static_cast<Window*>(context);
  w->self->scheduler_.sync_time();
  return w->inner.read(address - w->inner.base(), width);
}

io::RegStatus TimedWindows::write(void* context, std::uint64_t address, unsigned width,
                                  std::uint64_t value) {
  auto* w = static_cast<Window*>(context);
  w->self->scheduler_.sync_time();
  return w->inner.write(address - w->inner.base(), width, value);
}

}  // namespace wasmio::sched
