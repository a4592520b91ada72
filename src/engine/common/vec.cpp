// The untyped part of Vec<T>: allocation, growth and relocation, once for all element types.
#include "common/vec.h"

#include <cstdint>
#include <cstring>

#include "common/hook_allocator.h"

namespace wasmio::detail {

void VecCore::reallocate(std::size_t capacity, std::size_t element_size, std::size_t align,
                         Relocate relocate) noexcept {
  void* block = nullptr;
  if (capacity != 0) {
    if (capacity > SIZE_MAX / element_size) out_of_host_memory();
    block = hook_allocate(capacity * element_size, align);
    if (block == nullptr) out_of_host_memory();
    if (size_ != 0) {
      if (relocate != nullptr) {
        relocate(block, data_, size_);
      } else {
        std::memcpy(block, data_, size_ * element_size);
      }
    }
  }
  release(element_size, align);
  data_ = block;
  capacity_ = capacity;
}

void VecCore::grow_for_one(std::size_t element_size, std::size_t align,
                           Relocate relocate) noexcept {
  const std::size_t capacity = size_ + (size_ != 0 ? size_ : 1);
  if (capacity < size_) out_of_host_memory();
  reallocate(capacity, element_size, align, relocate);
}

void VecCore::release(std::size_t element_size, std::size_t align) noexcept {
  if (data_ != nullptr) hook_deallocate(data_, capacity_ * element_size, align);
  data_ = nullptr;
  capacity_ = 0;
}

}  // namespace wasmio::detail
