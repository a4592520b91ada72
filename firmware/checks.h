// The firmware's test bookkeeping: every check prints one line and counts towards the summary
// `selftest: N passed, M failed` that tests/qemu/run-firmware-tests reads.
#pragma once

void check(bool ok, const char* what);
