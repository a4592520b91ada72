#include "sim_script.h"

#include "cmsdk_uart.h"
#include "mps2_fpgaio.h"
#include "tmp105.h"

namespace wasmio::io::sim {

void SimScript::at(Cycles when, std::function<void()> action) {
  Item& item = items_.emplace_back(std::move(action));
  board_.clock().schedule(item.event, when);
}

void SimScript::run(void* item, Cycles) {
  auto* i = static_cast<Item*>(item);
  if (i->action) i->action();
}

std::size_t SimScript::pending() const {
  std::size_t n = 0;
  for (const auto& i : items_) n += i.event.armed() ? 1 : 0;
  return n;
}

bool SimScript::uart_rx(Cycles when, std::string_view uart_label, std::string bytes) {
  auto* uart = board_.find_as<CmsdkUart>(uart_label);
  if (uart == nullptr) return false;
  at(when, [uart, bytes = std::move(bytes)] { uart->inject_rx(bytes); });
  return true;
}

bool SimScript::press_button(Cycles when, unsigned index, std::string_view fpgaio_label) {
  auto* io = board_.find_as<Mps2Fpgaio>(fpgaio_label);
  if (io == nullptr) return false;
  at(when, [io, index] { io->set_button(index, true); });
  return true;
}

bool SimScript::release_button(Cycles when, unsigned index, std::string_view fpgaio_label) {
  auto* io = board_.find_as<Mps2Fpgaio>(fpgaio_label);
  if (io == nullptr) return false;
  at(when, [io, index] { io->set_button(index, false); });
  return true;
}

bool SimScript::set_temperature(Cycles when, std::string_view sensor_label,
                                std::int32_t millicelsius) {
  auto* sensor = board_.find_as<Tmp105>(sensor_label);
  if (sensor == nullptr || millicelsius < -128000 || millicelsius >= 128000) return false;
  at(when, [sensor, millicelsius] { sensor->set_temperature_mc(millicelsius); });
  return true;
}

}  // namespace wasmio::io::sim
