#include "platform/mps2-an385/board.h"

namespace wasmio::platform::an385 {
namespace {

constexpr std::uint32_t kSysExit = 0x18;
constexpr std::uint32_t kApplicationExit = 0x20026;  // ADP_Stopped_ApplicationExit -> status 0
constexpr std::uint32_t kRunTimeError = 0x20023;     // ADP_Stopped_RunTimeErrorUnknown -> 1

}  // namespace

void semihosting_exit(bool success) {
  register std::uint32_t op asm("r0") = kSysExit;
  register std::uint32_t reason asm("r1") = success ? kApplicationExit : kRunTimeError;
  asm volatile("bkpt 0xAB" : : "r"(op), "r"(reason) : "memory");
  for (;;) {
  }
}

}  // namespace wasmio::platform::an385
