// Installs a driver received in a frame: the same load path as a driver in flash (manifest ->
// bind -> windows -> instantiate), then runs its `main` export once if it has one. A refused
// frame or a driver that cannot bind leaves the board as it was.
#pragma once

#include <string>
#include <vector>

#include "board_drivers.h"
#include "install_frame.h"

namespace wasmio::firmware {

struct InstallOutcome {
  bool ok = false;
  std::string message;  // one line: "install: ok ..." or "install: refused: ..."
};

InstallOutcome install_driver(BoardDrivers& drivers, Frame frame,
                              std::vector<InstalledDriver>& installed);

}  // namespace wasmio::firmware
