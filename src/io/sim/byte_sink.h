// Where a simulated serial port's transmitted bytes go: a buffer (tests, traces), a file
// descriptor (terminal, pipe), or a file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim_clock.h"

namespace wasmio::io::sim {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // `when`: the virtual time the byte's stop bit ended.
  virtual void put(std::uint8_t byte, Cycles when) = 0;
};

// Keeps every byte with its time.
class BufferSink final : public ByteSink {
 public:
  void put(std::uint8_t byte, Cycles when) override {
    text_.push_back(static_cast<char>(byte));
    times_.push_back(when);
  }
  const std::string& text() const { return text_; }
  const std::vector<Cycles>& times() const { return times_; }
  void clear() {
    text_.clear();
    times_.clear();
  }

 private:
  std::string text_;
  std::vector<Cycles> times_;
};

// Writes each byte to a file descriptor it does not own (stdout, a pipe, a pty).
class FdSink final : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  void put(std::uint8_t byte, Cycles when) override;
  std::uint64_t dropped() const { return dropped_; }  // bytes the descriptor refused

 private:
  int fd_;
  std::uint64_t dropped_ = 0;
};

// Creates (truncates) a file and writes every byte to it.
class FileSink final : public ByteSink {
 public:
  explicit FileSink(const std::string& path);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  bool ok() const { return fd_ >= 0; }
  void put(std::uint8_t byte, Cycles when) override;

 private:
  int fd_ = -1;
};

}  // namespace wasmio::io::sim
