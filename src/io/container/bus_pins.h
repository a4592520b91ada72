// Devices behind a bus controller. A driver that bit-bangs an I2C sensor declares two
// peripherals: the controller (a register window) and the sensor (a bus node with an address,
// no registers of its own). Matching each by compatible alone could pick a controller on
// another bus than the sensor's; like a Linux i2c client bound under its adapter, the sensor
// decides the bus. This adds the deployment pins that say so.
#pragma once

#include "../bind/binding.h"

namespace wasmio::io {

// For every peripheral whose node (its pin, else its preferred match) sits on a bus: pins it to
// that node and pins an unpinned peripheral that accepts the bus controller's compatible to the
// controller. Existing pins are kept as they are.
Deployment with_bus_pins(const Manifest& manifest, const BoardDescription& board,
                         Deployment deployment);

}  // namespace wasmio::io
