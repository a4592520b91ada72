// Tables: a vector of reference words (0 = null) growing up to an effective maximum.
#include <cstdint>

#include "exec/instantiate.h"
#include "exec/runtime.h"

namespace wasmio {

std::int64_t TableInstance::grow(std::uint64_t delta, RefWord init) noexcept {
  const std::uint64_t old_size = elements.size();
  if (delta > max_elements || old_size > max_elements - delta) return -1;
  if (delta == 0) return static_cast<std::int64_t>(old_size);
  const std::uint64_t new_size = old_size + delta;
  if (new_size > elements.max_size()) return -1;

  if (new_size > elements.capacity()) {
    // The vector's allocator aborts on failure (hook_allocator.h), while a failed table.grow
    // must be a -1: ask the hook for a block of exactly the size reserve() will request first.
    // Allocation is single-threaded in the engine, so a granted probe means reserve succeeds.
    const std::size_t bytes = static_cast<std::size_t>(new_size) * sizeof(RefWord);
    void* probe = detail::hook_allocate(bytes, alignof(RefWord));
    if (probe == nullptr) return -1;
    detail::hook_deallocate(probe, bytes, alignof(RefWord));
    elements.reserve(static_cast<std::size_t>(new_size));
  }
  elements.resize(static_cast<std::size_t>(new_size), init);
  type.limits.min = new_size;
  return static_cast<std::int64_t>(old_size);
}

namespace detail {

Expected<TableInstance*> create_table(const TableType& type, std::uint64_t limit_elements,
                                      RefWord initial) noexcept {
  if (type.limits.has_max && type.limits.max < type.limits.min) {
    return unexpected(ErrorCode::kLimitsMinGreaterThanMax);
  }
  if (type.limits.min > kMaxTableElements ||
      (type.limits.has_max && type.limits.max > kMaxTableElements)) {
    return unexpected(ErrorCode::kTableSizeTooLarge);
  }
  if (limit_elements > kMaxTableElements) limit_elements = kMaxTableElements;
  if (type.limits.min > limit_elements) return unexpected(ErrorCode::kTableLimitExceeded);

  auto* table = hook_new<TableInstance>();
  table->type = type;
  table->type.limits.min = 0;
  table->max_elements =
      type.limits.has_max && type.limits.max < limit_elements ? type.limits.max : limit_elements;
  if (table->grow(type.limits.min, initial) < 0) {
    hook_delete(table);
    return unexpected(ErrorCode::kOutOfHostMemory);
  }
  return table;
}

}  // namespace detail
}  // namespace wasmio
