// Reset and exception entry for MPS2 AN385: vector table, .data/.bss set-up, static constructors.
#include <cstdint>

#include "platform/mps2-an385/board.h"

extern "C" {
extern std::uint32_t _data_load[], _data_start[], _data_end[], _bss_start[], _bss_end[];
extern std::uint32_t _stack_top[];
using Constructor = void (*)();
extern Constructor __init_array_start[], __init_array_end[];
int main();
void reset_handler();
}

namespace {

[[noreturn]] void unexpected_exception() {
  wasmio::platform::an385::console_write("\nfatal: unexpected exception\n");
  wasmio::platform::an385::semihosting_exit(false);
}

}  // namespace

extern "C" {
// Every exception defaults to a fatal stop; ports override the IRQs they use (weak aliases).
void default_handler() { unexpected_exception(); }
void nmi_handler() __attribute__((weak, alias("default_handler")));
void hard_fault_handler() __attribute__((weak, alias("default_handler")));
void mem_manage_handler() __attribute__((weak, alias("default_handler")));
void bus_fault_handler() __attribute__((weak, alias("default_handler")));
void usage_fault_handler() __attribute__((weak, alias("default_handler")));
void svc_handler() __attribute__((weak, alias("default_handler")));
void pendsv_handler() __attribute__((weak, alias("default_handler")));
void systick_handler() __attribute__((weak, alias("default_handler")));
void irq_handler() __attribute__((weak, alias("default_handler")));
}

using Vector = void (*)();

// Cortex-M3 core exceptions, then the 32 AN385 external interrupts (all routed to irq_handler,
// which reads the active IRQ number from IPSR: one entry point keeps E0 in one place).
__attribute__((section(".vectors"), used)) const Vector kVectorTable[16 + 32] = {
    reinterpret_cast<Vector>(_stack_top),
    reset_handler,
    nmi_handler,
    hard_fault_handler,
    mem_manage_handler,
    bus_fault_handler,
    usage_fault_handler,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    svc_handler,
    nullptr,
    nullptr,
    pendsv_handler,
    systick_handler,
#define WASMIO_IRQ4 irq_handler, irq_handler, irq_handler, irq_handler
    WASMIO_IRQ4, WASMIO_IRQ4, WASMIO_IRQ4, WASMIO_IRQ4,
    WASMIO_IRQ4, WASMIO_IRQ4, WASMIO_IRQ4, WASMIO_IRQ4,
#undef WASMIO_IRQ4
};

extern "C" void reset_handler() {
  for (std::uint32_t *src = _data_load, *dst = _data_start; dst < _data_end;) *dst++ = *src++;
  for (std::uint32_t* dst = _bss_start; dst < _bss_end;) *dst++ = 0;
  wasmio::platform::an385::console_init();
  // Static constructors (we link without crt0/crti, so newlib's __libc_init_array has no _init).
  for (Constructor* c = __init_array_start; c < __init_array_end; ++c) (*c)();
  const int status = main();
  wasmio::platform::an385::semihosting_exit(status == 0);
}
