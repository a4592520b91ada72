// Internal: pieces of instantiation shared by the Store's host-object constructors and
// Store::instantiate (object creation with limits, external type matching).
#pragma once

#include "exec/runtime.h"
#include "wasmio/expected.h"

namespace wasmio::detail {

constexpr std::uint64_t kMaxMemoryBytes = std::uint64_t{1} << 32;  // a 32-bit address space
constexpr std::uint64_t kMaxMemoryPages = 65536;            // 4 GiB of 64 KiB pages
constexpr std::uint64_t kMaxTableElements = 0xFFFFFFFFull;  // table indices are u32

// A memory of `type.limits.min` zeroed pages whose growth stops at the type's maximum,
// `limit_pages` 64 KiB pages or `limit_bytes`, whichever is lowest. kMemoryLimitExceeded when
// the minimum is above the limit, kOutOfHostMemory when the allocator refuses.
Expected<MemoryInstance*> create_memory(const MemoryType& type, std::uint64_t limit_pages,
                                        std::uint64_t limit_bytes = kMaxMemoryBytes) noexcept;
// Likewise for a table of `type.limits.min` elements set to `initial`.
Expected<TableInstance*> create_table(const TableType& type, std::uint64_t limit_elements,
                                      RefWord initial) noexcept;

// The spec's limits subtyping (actual <= expected): a larger minimum and a smaller maximum fit.
bool limits_match(const Limits& actual, const Limits& expected) noexcept;
// Whether `value` satisfies an import of `import`'s external type.
bool extern_matches(const Extern& value, const ImportEntry& import,
                    const FuncType& import_func_type) noexcept;

// The extern at `index` of an instance's index space of `kind`.
Extern extern_of(const Instance::Impl& instance, ExternKind kind, std::uint32_t index) noexcept;

}  // namespace wasmio::detail
