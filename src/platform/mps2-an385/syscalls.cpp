// The newlib system calls the firmware uses: output to the UART0 console and a heap between
// .bss and the stack. Everything else comes from libnosys (returns an error).
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "platform/mps2-an385/board.h"

extern "C" {
extern char _heap_start[], _heap_end[];

int _write(int fd, const char* data, int size) {
  if (fd != 1 && fd != 2) {
    errno = EBADF;
    return -1;
  }
  wasmio::platform::an385::console_write(data, static_cast<std::size_t>(size));
  return size;
}

void* _sbrk(std::ptrdiff_t increment) {
  static char* brk = _heap_start;
  if (increment > _heap_end - brk || increment < _heap_start - brk) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  char* previous = brk;
  brk += increment;
  return previous;
}

void _exit(int status) { wasmio::platform::an385::semihosting_exit(status == 0); }
}
