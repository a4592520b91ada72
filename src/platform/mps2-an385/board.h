// MPS2 AN385 platform layer: what the firmware needs from the board, and nothing else.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasmio::platform::an385 {

// Peripheral addresses (AN385 application note; QEMU hw/arm/mps2.c).
inline constexpr std::uintptr_t kUart0 = 0x40004000;
inline constexpr std::uintptr_t kFpgaIo = 0x40028000;
inline constexpr std::uintptr_t kFpgaCounter = kFpgaIo + 0x18;  // free-running, 25 MHz

// UART0 console (CMSDK APB UART), polled transmit.
// Moves the console (printf, console_read_byte) to UART `index` (0..4); call console_init after.
bool console_use_uart(unsigned index);
void console_init();
void console_write(const char* text);
void console_write(const char* data, std::size_t size);
// The next received byte, or -1 when none is waiting (polled; never blocks).
int console_read_byte();

// 25 MHz free-running counter of the FPGA IO block (QEMU has no DWT cycle counter).
inline std::uint32_t fpga_counter() {
  return *reinterpret_cast<volatile std::uint32_t*>(kFpgaCounter);
}

// The command line the debugger/QEMU passes (`-semihosting-config arg=...`), NUL-terminated, via
// SYS_GET_CMDLINE; false (and "") when there is none or it does not fit.
bool semihosting_cmdline(char* buffer, std::size_t size);

// Ends the QEMU run through semihosting: exit status 0 on success, 1 otherwise.
[[noreturn]] void semihosting_exit(bool success);

}  // namespace wasmio::platform::an385
