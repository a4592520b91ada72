// Where a container's granted windows come from: the register backend behind the access paths.
// The container asks for one RegisterWindow per granted window (CPU address, size, widths);
// the source decides what answers there.
#pragma once

#include <cstdint>
#include <string>

#include "../access/register_backend.h"
#include "../bind/binding.h"

namespace wasmio::io {

namespace sim {
class SimBoard;
}

class WindowSource {
 public:
  virtual ~WindowSource() = default;
  // The backend window for `grant`; false with `*error` when the source cannot serve it.
  virtual bool open(const GrantedWindow& grant, RegisterWindow* out, std::string* error) = 0;
};

// The widest access a manifest width mask permits (1, 2, 4 or 8).
unsigned widest_width(std::uint8_t widths);

// Device windows onto the simulated board's bus.
class SimBoardWindows final : public WindowSource {
 public:
  explicit SimBoardWindows(sim::SimBoard& board) : board_(board) {}
  bool open(const GrantedWindow& grant, RegisterWindow* out, std::string* error) override;

 private:
  sim::SimBoard& board_;
};

// Raw windows onto memory the host has mapped for a physical address range (a UIO or /dev/mem
// mapping, or plain memory standing in for registers in tests and benchmarks): a grant at CPU
// address A is served by mapping + (A - physical_base) with volatile loads and stores.
class RawMemoryWindows final : public WindowSource {
 public:
  RawMemoryWindows(std::uint64_t physical_base, std::uint64_t size, volatile void* mapping)
      : base_(physical_base), size_(size), mapping_(static_cast<volatile std::uint8_t*>(mapping)) {}
  bool open(const GrantedWindow& grant, RegisterWindow* out, std::string* error) override;

 private:
  std::uint64_t base_;
  std::uint64_t size_;
  volatile std::uint8_t* mapping_;
};

}  // namespace wasmio::io
