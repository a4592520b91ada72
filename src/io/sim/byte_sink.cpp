#include "byte_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace wasmio::io::sim {

namespace {
bool write_byte(int fd, std::uint8_t byte) {
  for (;;) {
    const ssize_t n = ::write(fd, &byte, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}
}  // namespace

void FdSink::put(std::uint8_t byte, Cycles) {
  if (!write_byte(fd_, byte)) ++dropped_;
}

FileSink::FileSink(const std::string& path)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSink::put(std::uint8_t byte, Cycles) {
  if (fd_ >= 0) write_byte(fd_, byte);
}

}  // namespace wasmio::io::sim
