// Cortex-M3 NVIC, BASEPRI and PendSV: the interrupt hardware the E0 level and the Wasm level
// (PendSV, lowest priority) are built on. Register addresses from the ARMv7-M ARM (B3.4, B3.2).
#pragma once

#include <cstdint>

namespace wasmio::platform::an385 {

inline constexpr std::uint32_t kIrqLines = 32;  // AN385 external interrupts
// QEMU keeps 8 priority bits, silicon 3-4: priorities are used in steps of 0x20 (3 bits), so
// the same values mean the same order on a real part.
inline constexpr std::uint8_t kPriorityStep = 0x20;

namespace nvic_reg {
inline volatile std::uint32_t* const iser = reinterpret_cast<volatile std::uint32_t*>(0xE000E100);
inline volatile std::uint32_t* const icer = reinterpret_cast<volatile std::uint32_t*>(0xE000E180);
inline volatile std::uint32_t* const ispr = reinterpret_cast<volatile std::uint32_t*>(0xE000E200);
inline volatile std::uint32_t* const icpr = reinterpret_cast<volatile std::uint32_t*>(0xE000E280);
inline volatile std::uint32_t* const iabr = reinterpret_cast<volatile std::uint32_t*>(0xE000E300);
inline volatile std::uint8_t* const ipr = reinterpret_cast<volatile std::uint8_t*>(0xE000E400);
inline volatile std::uint32_t* const icsr = reinterpret_cast<volatile std::uint32_t*>(0xE000ED04);
inline volatile std::uint8_t* const shpr3 = reinterpret_cast<volatile std::uint8_t*>(0xE000ED20);
}  // namespace nvic_reg

inline void barrier() { __asm__ volatile("dsb\n isb" ::: "memory"); }

inline void nvic_enable(std::uint32_t line) { nvic_reg::iser[0] = 1u << line; }
// Disabling must take effect before the next instruction (ARMv7-M: DSB + ISB after ICER).
inline void nvic_disable(std::uint32_t line) {
  nvic_reg::icer[0] = 1u << line;
  barrier();
}
inline bool nvic_enabled(std::uint32_t line) { return (nvic_reg::iser[0] >> line) & 1u; }
// Software trigger: taken (if enabled and not masked) before the next instruction.
inline void nvic_set_pending(std::uint32_t line) {
  nvic_reg::ispr[0] = 1u << line;
  barrier();
}
inline void nvic_clear_pending(std::uint32_t line) { nvic_reg::icpr[0] = 1u << line; }
inline bool nvic_pending(std::uint32_t line) { return (nvic_reg::ispr[0] >> line) & 1u; }
inline bool nvic_active(std::uint32_t line) { return (nvic_reg::iabr[0] >> line) & 1u; }
inline void nvic_set_priority(std::uint32_t line, std::uint8_t priority) {
  nvic_reg::ipr[line] = priority;
}

// PendSV and SysTick priorities live in SHPR3 bytes 2 and 3.
inline void pendsv_set_priority(std::uint8_t priority) { nvic_reg::shpr3[2] = priority; }
inline void systick_set_priority(std::uint8_t priority) { nvic_reg::shpr3[3] = priority; }
inline void pendsv_trigger() {
  *nvic_reg::icsr = 1u << 28;  // PENDSVSET
  barrier();
}

// BASEPRI: exceptions with priority value >= basepri are held off (0 = no masking).
inline std::uint32_t basepri_get() {
  std::uint32_t v;
  __asm__ volatile("mrs %0, basepri" : "=r"(v));
  return v;
}
inline void basepri_set(std::uint32_t v) { __asm__ volatile("msr basepri, %0\n isb" ::"r"(v) : "memory"); }

// The running exception number (IPSR): 16 + line for external interrupts, 0 in thread mode.
inline std::uint32_t active_exception() {
  std::uint32_t v;
  __asm__ volatile("mrs %0, ipsr" : "=r"(v));
  return v & 0x1FFu;
}

// Holds off every exception at priority `level` and below for the scope (restores on exit).
class BasepriGuard {
 public:
  explicit BasepriGuard(std::uint8_t level) : saved_(basepri_get()) { basepri_set(level); }
  ~BasepriGuard() { basepri_set(saved_); }
  BasepriGuard(const BasepriGuard&) = delete;
  BasepriGuard& operator=(const BasepriGuard&) = delete;

 private:
  std::uint32_t saved_;
};

}  // namespace wasmio::platform::an385
