#include "platform/mps2-an385/board.h"

namespace wasmio::platform::an385 {
namespace {

constexpr std::uint32_t kSysExit = 0x18;
constexpr std::uint32_t kSysGetCmdline = 0x15;
constexpr std::uint32_t kApplicationExit = 0x20026;  // ADP_Stopped_ApplicationExit -> status 0
constexpr std::uint32_t kRunTimeError = 0x20023;     // ADP_Stopped_RunTimeErrorUnknown -> 1

}  // namespace

bool semihosting_cmdline(char* buffer, std::size_t size) {
  if (size == 0) return false;
  buffer[0] = '\0';
  // Parameter block: buffer address, buffer size (in: capacity, out: length without the NUL).
  volatile std::uint32_t block[2] = {reinterpret_cast<std::uint32_t>(buffer),
                                     static_cast<std::uint32_t>(size)};
  register std::uint32_t op asm("r0") = kSysGetCmdline;
  register volatile std::uint32_t* arg asm("r1") = block;
  asm volatile("bkpt 0xAB" : "+r"(op) : "r"(arg) : "memory");
  if (op != 0) {
    buffer[0] = '\0';
    return false;
  }
  return true;
}

void semihosting_exit(bool success) {
  register std::uint32_t op asm("r0") = kSysExit;
  register std::uint32_t reason asm("r1") = success ? kApplicationExit : kRunTimeError;
  asm volatile("bkpt 0xAB" : : "r"(op), "r"(reason) : "memory");
  for (;;) {
  }
}

}  // namespace wasmio::platform::an385
