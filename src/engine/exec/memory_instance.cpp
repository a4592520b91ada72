// Linear memory: one contiguous block from the allocator hook, exactly as large as the current
// page count (no reservation: RAM is scarce on the target). Growing moves the block, so the
// interpreter reloads `data`/`size` after every call and memory.grow.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "exec/instantiate.h"
#include "exec/runtime.h"

namespace wasmio {
namespace {

constexpr std::size_t kMemoryAlign = alignof(std::max_align_t);

}  // namespace

std::int64_t MemoryInstance::grow(std::uint64_t delta) noexcept {
  const std::uint64_t old_pages = pages();
  if (delta > max_pages || old_pages > max_pages - delta) return -1;
  if (delta == 0) return static_cast<std::int64_t>(old_pages);
  const std::uint64_t new_pages = old_pages + delta;
  // On a 32-bit target 4 GiB do not fit in size_t.
  const unsigned shift = type.page_size_log2;
  if (new_pages > (SIZE_MAX >> shift)) return -1;
  const std::uint64_t new_size = new_pages << shift;

  if (new_size > capacity) {
    // A refused allocation is an ordinary -1 for the guest, never an abort.
    auto* block = static_cast<std::uint8_t*>(
        detail::hook_allocate(static_cast<std::size_t>(new_size), kMemoryAlign));
    if (block == nullptr) return -1;
    if (size != 0) std::memcpy(block, data, static_cast<std::size_t>(size));
    detail::hook_deallocate(data, static_cast<std::size_t>(capacity), kMemoryAlign);
    data = block;
    capacity = new_size;
  }
  std::memset(data + size, 0, static_cast<std::size_t>(new_size - size));
  size = new_size;
  type.limits.min = new_pages;
  return static_cast<std::int64_t>(old_pages);
}

MemoryInstance::~MemoryInstance() {
  detail::hook_deallocate(data, static_cast<std::size_t>(capacity), kMemoryAlign);
}

namespace detail {

Expected<MemoryInstance*> create_memory(const MemoryType& type, std::uint64_t limit_pages,
                                        std::uint64_t limit_bytes) noexcept {
  if (type.page_size_log2 != 0 && type.page_size_log2 != kDefaultPageSizeLog2) {
    return unexpected(ErrorCode::kInvalidPageSize);
  }
  if (type.limits.has_max && type.limits.max < type.limits.min) {
    return unexpected(ErrorCode::kLimitsMinGreaterThanMax);
  }
  const unsigned shift = type.page_size_log2;
  const std::uint64_t max_pages = kMaxMemoryBytes >> shift;
  if (type.limits.min > max_pages || (type.limits.has_max && type.limits.max > max_pages)) {
    return unexpected(ErrorCode::kMemorySizeTooLarge);
  }
  // Both caps in bytes, then in this memory's pages.
  if (limit_pages > kMaxMemoryPages) limit_pages = kMaxMemoryPages;
  if (limit_bytes > (limit_pages << 16)) limit_bytes = limit_pages << 16;
  limit_pages = limit_bytes >> shift;
  if (type.limits.min > limit_pages) return unexpected(ErrorCode::kMemoryLimitExceeded);

  auto* memory = hook_new<MemoryInstance>();
  memory->type = type;
  memory->type.limits.min = 0;
  memory->max_pages =
      type.limits.has_max && type.limits.max < limit_pages ? type.limits.max : limit_pages;
  if (memory->grow(type.limits.min) < 0) {
    hook_delete(memory);
    return unexpected(ErrorCode::kOutOfHostMemory);
  }
  return memory;
}

}  // namespace detail
}  // namespace wasmio
