// SimBoardWindows apart from the raw windows: the microcontroller build has no simulated board.
#include "../manifest/text.h"
#include "../sim/sim_board.h"
#include "window_source.h"

namespace wasmio::io {

bool SimBoardWindows::open(const GrantedWindow& grant, RegisterWindow* out, std::string* error) {
  const sim::SimDevice* device = board_.device_at(grant.address);
  if (device == nullptr) {
    *error = "the simulated board has no device model at " + text::hex(grant.address) +
             " (window " + std::to_string(grant.index) + " of '" + grant.label + "')";
    return false;
  }
  unsigned width = widest_width(grant.widths);
  if (width > device->max_width()) width = device->max_width();
  *out = sim_register_window(board_, grant.address, grant.size, width);
  return true;
}

}  // namespace wasmio::io
