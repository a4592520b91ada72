// Store-level runtime objects without any module: memories, tables, globals, host functions,
// canonical type ids and ownership.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "exec/runtime.h"
#include "runtime_test_support.h"
#include "wasmio/allocator.h"
#include "wasmio/engine.h"

namespace wasmio {
namespace {

using runtime_test::RefusingAllocator;

MemoryType memory_type(std::uint64_t min, std::uint64_t max, bool has_max) {
  return MemoryType{Limits{min, max, has_max}};
}
TableType table_type(ValType element, std::uint64_t min, std::uint64_t max, bool has_max) {
  return TableType{element, Limits{min, max, has_max}};
}

HostStatus nop_host(HostCall&) {
  return HostStatus::kReturn;
}

TEST(RuntimeMemory, StartsZeroedAndGrowsUpToItsMaximum) {
  Store store;
  auto memory = store.add_memory(memory_type(1, 3, true));
  ASSERT_TRUE(memory);
  MemoryInstance* m = *memory;
  ASSERT_EQ(Store::memory_pages(m), 1u);
  auto data = Store::memory_data(m);
  ASSERT_EQ(data.size(), 65536u);
  for (std::uint8_t b : data) ASSERT_EQ(b, 0);

  data[0] = 0xAB;
  data[65535] = 0xCD;
  EXPECT_EQ(m->grow(1), 1);
  data = Store::memory_data(m);
  ASSERT_EQ(data.size(), 2u * 65536u);
  EXPECT_EQ(data[0], 0xAB);  // old contents survive the move
  EXPECT_EQ(data[65535], 0xCD);
  for (std::size_t i = 65536; i < data.size(); ++i) ASSERT_EQ(data[i], 0) << i;

  EXPECT_EQ(m->grow(2), -1);  // 2 + 2 > max 3
  EXPECT_EQ(Store::memory_pages(m), 2u);
  EXPECT_EQ(m->grow(0), 2);
  EXPECT_EQ(m->grow(1), 2);
  EXPECT_EQ(m->grow(1), -1);
  EXPECT_EQ(Store::memory_pages(m), 3u);
  EXPECT_EQ(m->size, 3u * 65536u);
  EXPECT_EQ(m->type.limits.min, 3u);  // the current type tracks the current size
}

TEST(RuntimeMemory, HugeGrowRequestsFailWithoutAllocating) {
  Store store;
  auto memory = store.add_memory(memory_type(0, 0, false));
  ASSERT_TRUE(memory);
  MemoryInstance* m = *memory;
  const std::size_t before = allocated_bytes();
  EXPECT_EQ(m->grow(65537), -1);
  EXPECT_EQ(m->grow(std::numeric_limits<std::uint64_t>::max()), -1);
  EXPECT_EQ(m->grow(0xFFFFFFFFu), -1);
  EXPECT_EQ(allocated_bytes(), before);
  EXPECT_EQ(m->grow(1), 0);
  EXPECT_EQ(m->grow(65536), -1);  // 1 + 65536 pages is past 4 GiB
  EXPECT_EQ(Store::memory_pages(m), 1u);
}

TEST(RuntimeMemory, RefusedHostAllocationIsMinusOneNotAnAbort) {
  Store store;
  auto memory = store.add_memory(memory_type(1, 0, false));
  ASSERT_TRUE(memory);
  MemoryInstance* m = *memory;
  Store::memory_data(m)[7] = 42;
  {
    RefusingAllocator refuse(4 * 65536);
    EXPECT_EQ(m->grow(8), -1);
    EXPECT_GE(refuse.refusals(), 1);
    EXPECT_EQ(m->grow(2), 1);  // within what the allocator still grants
  }
  EXPECT_EQ(Store::memory_pages(m), 3u);
  EXPECT_EQ(Store::memory_data(m)[7], 42);
}

TEST(RuntimeMemory, AddMemoryChecksItsType) {
  Store store;
  auto inverted = store.add_memory(memory_type(2, 1, true));
  ASSERT_FALSE(inverted);
  EXPECT_EQ(inverted.error().code, ErrorCode::kLimitsMinGreaterThanMax);
  auto too_large = store.add_memory(memory_type(65537, 0, false));
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error().code, ErrorCode::kMemorySizeTooLarge);
  auto refused = [&] {
    RefusingAllocator refuse(65536);
    return store.add_memory(memory_type(2, 0, false));
  }();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kOutOfHostMemory);
}

TEST(RuntimeMemory, OutOfBoundsHandlerIsStored) {
  Store store;
  auto memory = store.add_memory(memory_type(0, 0, false));
  ASSERT_TRUE(memory);
  int context = 0;
  OutOfBoundsHandler handler;
  handler.load = [](void*, std::uint64_t, unsigned, std::uint64_t* v) {
    *v = 1;
    return true;
  };
  handler.context = &context;
  Store::set_out_of_bounds_handler(*memory, handler);
  EXPECT_EQ((*memory)->out_of_bounds.load, handler.load);
  EXPECT_EQ((*memory)->out_of_bounds.context, &context);
}

TEST(RuntimeTable, GrowsWithInitialValueUpToItsMaximum) {
  Store store;
  auto table = store.add_table(table_type(ValType::kExternRef, 2, 4, true), 0x1234);
  ASSERT_TRUE(table);
  TableInstance* t = *table;
  ASSERT_EQ(Store::table_size(t), 2u);
  EXPECT_EQ(*Store::table_get(t, 1), 0x1234u);
  EXPECT_EQ(t->grow(2, 0x99), 2);
  EXPECT_EQ(Store::table_size(t), 4u);
  EXPECT_EQ(*Store::table_get(t, 0), 0x1234u);
  EXPECT_EQ(*Store::table_get(t, 3), 0x99u);
  EXPECT_EQ(t->grow(1, 0), -1);
  EXPECT_EQ(t->grow(0, 0), 4);
  auto past_end = Store::table_get(t, 4);
  ASSERT_FALSE(past_end);
  EXPECT_EQ(past_end.error().code, ErrorCode::kOutOfBoundsTableAccess);
}

TEST(RuntimeTable, UnboundedTableStopsAtTheStoreLimit) {
  Store store;
  auto table = store.add_table(table_type(ValType::kFuncRef, 0, 0, false));
  ASSERT_TRUE(table);
  TableInstance* t = *table;
  EXPECT_EQ(t->max_elements, InstanceLimits{}.max_table_elements);
  const std::size_t before = allocated_bytes();
  EXPECT_EQ(t->grow(0xFFFFFFFFu, 0), -1);
  EXPECT_EQ(t->grow(std::numeric_limits<std::uint64_t>::max(), 0), -1);
  EXPECT_EQ(allocated_bytes(), before);
  EXPECT_EQ(t->grow(10, 0), 0);
  EXPECT_EQ(Store::table_size(t), 10u);
}

TEST(RuntimeTable, RefusedHostAllocationIsMinusOne) {
  Store store;
  auto table = store.add_table(table_type(ValType::kFuncRef, 1, 0, false), 7);
  ASSERT_TRUE(table);
  TableInstance* t = *table;
  {
    RefusingAllocator refuse(1024);
    EXPECT_EQ(t->grow(1000, 0), -1);
    EXPECT_GE(refuse.refusals(), 1);
    EXPECT_EQ(Store::table_size(t), 1u);
    EXPECT_EQ(t->grow(3, 5), 1);
  }
  EXPECT_EQ(Store::table_size(t), 4u);
  EXPECT_EQ(*Store::table_get(t, 0), 7u);
  EXPECT_EQ(*Store::table_get(t, 3), 5u);
}

TEST(RuntimeTable, AddTableChecksItsType) {
  Store store;
  auto not_ref = store.add_table(table_type(ValType::kI32, 1, 0, false));
  ASSERT_FALSE(not_ref);
  EXPECT_EQ(not_ref.error().code, ErrorCode::kArgumentMismatch);
  auto inverted = store.add_table(table_type(ValType::kFuncRef, 3, 2, true));
  ASSERT_FALSE(inverted);
  EXPECT_EQ(inverted.error().code, ErrorCode::kLimitsMinGreaterThanMax);
  auto over_limit = store.add_table(
      table_type(ValType::kFuncRef, InstanceLimits{}.max_table_elements + 1ull, 0, false));
  ASSERT_FALSE(over_limit);
  EXPECT_EQ(over_limit.error().code, ErrorCode::kTableLimitExceeded);
}

TEST(RuntimeGlobal, GetAndSetRespectTypeAndMutability) {
  Store store;
  auto counter = store.add_global(GlobalType{ValType::kI32, true}, Value::i32(41));
  ASSERT_TRUE(counter);
  EXPECT_EQ(Store::global_get(*counter).type, ValType::kI32);
  EXPECT_EQ(Store::global_get(*counter).of.i32, 41u);
  ASSERT_TRUE(Store::global_set(*counter, Value::i32(0xFFFFFFFFu)));
  EXPECT_EQ(Store::global_get(*counter).of.i32, 0xFFFFFFFFu);
  EXPECT_EQ((*counter)->value[0], 0xFFFFFFFFull);  // zero-extended slot layout
  auto wrong_type = Store::global_set(*counter, Value::i64(1));
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().code, ErrorCode::kArgumentMismatch);

  auto constant =
      store.add_global(GlobalType{ValType::kF64, false}, Value::f64_bits(0x7FF4000000000001ull));
  ASSERT_TRUE(constant);
  EXPECT_EQ(Store::global_get(*constant).f64_bits(), 0x7FF4000000000001ull);  // NaN payload kept
  EXPECT_FALSE(Store::global_type(*constant).mutable_);
  auto immutable = Store::global_set(*constant, Value::f64(1.0));
  ASSERT_FALSE(immutable);
  EXPECT_EQ(immutable.error().code, ErrorCode::kGlobalIsImmutable);
  EXPECT_EQ(Store::global_get(*constant).f64_bits(), 0x7FF4000000000001ull);

  auto mismatched_initial = store.add_global(GlobalType{ValType::kI64, false}, Value::i32(1));
  ASSERT_FALSE(mismatched_initial);
  EXPECT_EQ(mismatched_initial.error().code, ErrorCode::kArgumentMismatch);

  auto ref = store.add_global(GlobalType{ValType::kExternRef, true}, Value::externref(0xBEEF));
  ASSERT_TRUE(ref);
  EXPECT_EQ(Store::global_get(*ref).of.ref, 0xBEEFu);
}

TEST(RuntimeHostFunction, EqualTypesShareOneCanonicalIdAndTypesAreCopied) {
  Store store;
  std::array<ValType, 2> params{ValType::kI32, ValType::kI64};
  std::array<ValType, 1> results{ValType::kF32};
  std::array<ValType, 2> same_params{ValType::kI32, ValType::kI64};
  std::array<ValType, 1> other_results{ValType::kF64};

  FunctionInstance* a = store.add_host_function(FuncType{params, results}, nop_host, nullptr, "a");
  FunctionInstance* b =
      store.add_host_function(FuncType{same_params, results}, nop_host, nullptr, "b");
  FunctionInstance* c =
      store.add_host_function(FuncType{params, other_results}, nop_host, nullptr, "c");
  FunctionInstance* d = store.add_host_function(FuncType{{}, {}}, nop_host, &params, "d");
  EXPECT_EQ(a->type_id, b->type_id);
  EXPECT_NE(a->type_id, c->type_id);
  EXPECT_NE(a->type_id, d->type_id);
  EXPECT_NE(c->type_id, d->type_id);
  EXPECT_EQ(store.impl().canonical_types.size(), 3u);

  // The store owns its copy: clobbering the caller's arrays changes nothing.
  params.fill(ValType::kExternRef);
  results.fill(ValType::kExternRef);
  const FuncType ta = Store::function_type(a);
  ASSERT_EQ(ta.params.size(), 2u);
  ASSERT_EQ(ta.results.size(), 1u);
  EXPECT_EQ(ta.params[0], ValType::kI32);
  EXPECT_EQ(ta.params[1], ValType::kI64);
  EXPECT_EQ(ta.results[0], ValType::kF32);
  EXPECT_EQ(a->host, &nop_host);
  EXPECT_EQ(d->user_data, &params);
  EXPECT_EQ(a->instance, nullptr);
  EXPECT_EQ(a->debug_name, "a");
}

TEST(RuntimeStore, DestructionFreesEverything) {
  const std::size_t start = allocated_bytes();
  {
    Store store;
    std::array<ValType, 1> i32{ValType::kI32};
    for (int i = 0; i < 10; ++i)
      store.add_host_function(FuncType{i32, i32}, nop_host, nullptr, "f");
    store.add_host_function(FuncType{{}, i32}, nop_host, nullptr, "g");
    ASSERT_TRUE(store.add_memory(memory_type(2, 10, true)));
    auto memory = store.add_memory(memory_type(0, 0, false));
    ASSERT_TRUE(memory);
    EXPECT_EQ((*memory)->grow(3), 0);
    auto table = store.add_table(table_type(ValType::kFuncRef, 5, 0, false));
    ASSERT_TRUE(table);
    EXPECT_EQ((*table)->grow(100, 0), 5);
    ASSERT_TRUE(store.add_global(GlobalType{ValType::kI64, true}, Value::i64(3)));
    EXPECT_GT(allocated_bytes(), start + 5 * 65536);
  }
  EXPECT_EQ(allocated_bytes(), start);
}

TEST(RuntimeStore, HeapStoreGoesThroughTheHook) {
  const std::size_t start = allocated_bytes();
  auto* store = new Store;
  EXPECT_GE(allocated_bytes(), start + sizeof(Store));
  delete store;
  EXPECT_EQ(allocated_bytes(), start);
}

}  // namespace
}  // namespace wasmio
