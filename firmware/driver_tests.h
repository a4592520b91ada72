#pragma once

// The drivers of drivers/ on QEMU's device models, bound through their manifests against the
// dtgen board table; the installation frame and its refusals. Each check counts in `selftest:`.
void run_driver_tests();
