// Instantiation: import matching, instance limits, segment initialisation, exports, globals,
// canonical type ids across modules, ownership after failures.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "exec/runtime.h"
#include "lower/lowered_code.h"
#include "runtime_test_support.h"
#include "wasmio/allocator.h"
#include "wasmio/engine.h"

namespace wasmio {
namespace {

using runtime_test::load_wat;

HostStatus nop_host(HostCall&) {
  return HostStatus::kReturn;
}

constexpr std::array<ValType, 1> kI32{ValType::kI32};
constexpr std::array<ValType, 2> kI32I32{ValType::kI32, ValType::kI32};

// -------------------------------------------------------------------------------------------
// Import matching

struct ImportCase {
  const char* import;  // the import clause
  const char* why;
};

class RuntimeImportMatching : public ::testing::Test {
 protected:
  // Candidates offered for `(import "env" "x" ...)`.
  Store store;
  FunctionInstance* f_i32_to_i32 =
      store.add_host_function(FuncType{kI32, kI32}, nop_host, nullptr, "f");
  MemoryInstance* mem_2_4 = *store.add_memory(MemoryType{Limits{2, 4, true}});
  MemoryInstance* mem_2_unbounded = *store.add_memory(MemoryType{Limits{2, 0, false}});
  TableInstance* funcs_3_5 = *store.add_table(TableType{ValType::kFuncRef, Limits{3, 5, true}});
  TableInstance* externs_3_5 = *store.add_table(TableType{ValType::kExternRef, Limits{3, 5, true}});
  GlobalInstance* const_i32 = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(1));
  GlobalInstance* var_i32 = *store.add_global(GlobalType{ValType::kI32, true}, Value::i32(1));
  GlobalInstance* const_i64 = *store.add_global(GlobalType{ValType::kI64, false}, Value::i64(1));

  // Instantiates a module with the single import `clause`, offering `value`.
  Expected<Instance*> link(const std::string& clause, Extern value) {
    auto module = load_wat("(module (import \"env\" \"x\" " + clause + "))");
    if (!module) return unexpected(ErrorCode::kArgumentMismatch);
    modules.push_back(std::move(module));
    const Extern imports[] = {value};
    return store.instantiate(*modules.back(), imports);
  }
  void expect_incompatible(const std::string& clause, Extern value) {
    auto r = link(clause, value);
    ASSERT_FALSE(r) << clause;
    EXPECT_EQ(r.error().code, ErrorCode::kIncompatibleImportType) << clause;
    EXPECT_EQ(r.error().phase(), Phase::kLink);
    EXPECT_EQ(r.error().index, 0u);
  }
  std::vector<std::unique_ptr<Module>> modules;
};

TEST_F(RuntimeImportMatching, FunctionsNeedTheExactType) {
  EXPECT_TRUE(link("(func (param i32) (result i32))", Extern::of(f_i32_to_i32)));
  expect_incompatible("(func (param i32))", Extern::of(f_i32_to_i32));
  expect_incompatible("(func (param i64) (result i32))", Extern::of(f_i32_to_i32));
  expect_incompatible("(func (param i32 i32) (result i32))", Extern::of(f_i32_to_i32));
  expect_incompatible("(func (param i32) (result i32 i32))", Extern::of(f_i32_to_i32));
}

TEST_F(RuntimeImportMatching, KindMustMatch) {
  expect_incompatible("(func (param i32) (result i32))", Extern::of(mem_2_4));
  expect_incompatible("(memory 1)", Extern::of(funcs_3_5));
  expect_incompatible("(table 1 funcref)", Extern::of(const_i32));
  expect_incompatible("(global i32)", Extern::of(f_i32_to_i32));
  expect_incompatible("(global i32)", Extern::of(static_cast<GlobalInstance*>(nullptr)));
}

TEST_F(RuntimeImportMatching, MemoryLimitsSubtyping) {
  EXPECT_TRUE(link("(memory 2 4)", Extern::of(mem_2_4)));
  EXPECT_TRUE(link("(memory 1)", Extern::of(mem_2_4)));    // larger min fits
  EXPECT_TRUE(link("(memory 0 5)", Extern::of(mem_2_4)));  // smaller max fits
  EXPECT_TRUE(link("(memory 2)", Extern::of(mem_2_unbounded)));
  expect_incompatible("(memory 3)", Extern::of(mem_2_4));             // min too small
  expect_incompatible("(memory 2 3)", Extern::of(mem_2_4));           // max too large
  expect_incompatible("(memory 1 10)", Extern::of(mem_2_unbounded));  // no max at all
  // The current size counts, not the declared minimum.
  ASSERT_EQ(mem_2_4->grow(1), 2);
  EXPECT_TRUE(link("(memory 3 4)", Extern::of(mem_2_4)));
}

TEST_F(RuntimeImportMatching, TableElementTypeAndLimits) {
  EXPECT_TRUE(link("(table 3 5 funcref)", Extern::of(funcs_3_5)));
  EXPECT_TRUE(link("(table 1 funcref)", Extern::of(funcs_3_5)));
  EXPECT_TRUE(link("(table 2 6 externref)", Extern::of(externs_3_5)));
  expect_incompatible("(table 3 5 externref)", Extern::of(funcs_3_5));
  expect_incompatible("(table 3 5 funcref)", Extern::of(externs_3_5));
  expect_incompatible("(table 4 funcref)", Extern::of(funcs_3_5));
  expect_incompatible("(table 0 4 funcref)", Extern::of(funcs_3_5));
  ASSERT_EQ(funcs_3_5->grow(1, 0), 3);
  EXPECT_TRUE(link("(table 4 funcref)", Extern::of(funcs_3_5)));
}

TEST_F(RuntimeImportMatching, GlobalTypeAndMutability) {
  EXPECT_TRUE(link("(global i32)", Extern::of(const_i32)));
  EXPECT_TRUE(link("(global (mut i32))", Extern::of(var_i32)));
  expect_incompatible("(global (mut i32))", Extern::of(const_i32));
  expect_incompatible("(global i32)", Extern::of(var_i32));
  expect_incompatible("(global i32)", Extern::of(const_i64));
  expect_incompatible("(global i64)", Extern::of(const_i32));
}

TEST_F(RuntimeImportMatching, WrongImportCountIsAnEmbedderError) {
  auto module =
      load_wat("(module (import \"env\" \"x\" (global i32)) (import \"env\" \"y\" (global i32)))");
  ASSERT_TRUE(module);
  const Extern one[] = {Extern::of(const_i32)};
  auto r = store.instantiate(*module, one);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().phase(), Phase::kEmbedder);
  EXPECT_EQ(r.error().code, ErrorCode::kArgumentMismatch);
  // The index of the first mismatching import is reported.
  const Extern second_bad[] = {Extern::of(const_i32), Extern::of(const_i64)};
  auto bad = store.instantiate(*module, second_bad);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kIncompatibleImportType);
  EXPECT_EQ(bad.error().index, 1u);
}

// -------------------------------------------------------------------------------------------
// Linker

TEST(RuntimeLinker, ResolvesByModuleAndNameAndReportsTheUnknownImport) {
  Store store;
  Linker linker;
  FunctionInstance* f = store.add_host_function(FuncType{kI32, {}}, nop_host, nullptr, "log");
  GlobalInstance* g = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(5));
  {
    // The linker copies names: these strings die before resolve.
    std::string module_name = "env";
    std::string name = "log";
    linker.define(module_name, name, Extern::of(f));
    module_name = "XXX";
    name = "YYY";
  }
  linker.define("env", "base", Extern::of(g));

  auto module = load_wat(R"((module
    (import "env" "log" (func (param i32)))
    (import "env" "base" (global i32))
    (import "other" "log" (func (param i32)))))");
  ASSERT_TRUE(module);
  Extern out[3];
  auto unresolved = linker.resolve(*module, out, 3);
  ASSERT_FALSE(unresolved);
  EXPECT_EQ(unresolved.error().code, ErrorCode::kUnknownImport);
  EXPECT_EQ(unresolved.error().phase(), Phase::kLink);
  EXPECT_EQ(unresolved.error().index, 2u);

  linker.define("other", "log", Extern::of(f));
  ASSERT_TRUE(linker.resolve(*module, out, 3));
  EXPECT_EQ(out[0].kind, ExternKind::kFunction);
  EXPECT_EQ(out[0].function, f);
  EXPECT_EQ(out[1].global, g);
  EXPECT_EQ(out[2].function, f);
  EXPECT_TRUE(store.instantiate(*module, out));

  auto too_small = linker.resolve(*module, out, 2);
  ASSERT_FALSE(too_small);
  EXPECT_EQ(too_small.error().code, ErrorCode::kArgumentMismatch);
}

TEST(RuntimeLinker, ResolveDoesNotCheckKindsInstantiateDoes) {
  Store store;
  Linker linker;
  GlobalInstance* g = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(5));
  linker.define("env", "f", Extern::of(g));
  auto module = load_wat(R"((module (import "env" "f" (func))))");
  ASSERT_TRUE(module);
  Extern out[1];
  ASSERT_TRUE(linker.resolve(*module, out, 1));
  auto r = store.instantiate(*module, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kIncompatibleImportType);
}

TEST(RuntimeLinker, RegisteredInstanceExportsAndRedefinition) {
  Store store;
  Linker linker;
  auto provider = load_wat(R"((module
    (memory (export "mem") 1)
    (global (export "g") i32 (i32.const 7))
    (table (export "tab") 2 funcref)
    (func (export "f") (param i32) (result i32) local.get 0)))");
  ASSERT_TRUE(provider);
  auto first = store.instantiate(*provider, {});
  ASSERT_TRUE(first);
  linker.define_instance("M", **first);

  auto consumer = load_wat(R"((module
    (import "M" "f" (func (param i32) (result i32)))
    (import "M" "mem" (memory 1))
    (import "M" "tab" (table 2 funcref))
    (import "M" "g" (global i32))))");
  ASSERT_TRUE(consumer);
  Extern out[4];
  ASSERT_TRUE(linker.resolve(*consumer, out, 4));
  EXPECT_EQ(out[0].function, (*first)->exported_function("f"));
  EXPECT_EQ(out[1].memory, (*first)->memory(0));
  EXPECT_EQ(out[2].table, (*first)->find_export("tab")->table);
  EXPECT_EQ(out[3].global, (*first)->find_export("g")->global);
  ASSERT_TRUE(store.instantiate(*consumer, out));

  // Registering another instance under the same name replaces the old exports.
  auto second = store.instantiate(*provider, {});
  ASSERT_TRUE(second);
  linker.define_instance("M", **second);
  ASSERT_TRUE(linker.resolve(*consumer, out, 4));
  EXPECT_EQ(out[1].memory, (*second)->memory(0));
  EXPECT_NE(out[1].memory, (*first)->memory(0));
}

// -------------------------------------------------------------------------------------------
// Exports and accessors

TEST(RuntimeInstance, ExportsByNameAndKind) {
  Store store;
  auto module = load_wat(R"((module
    (func $a (export "a") (result i32) i32.const 1)
    (func $b (export "b") (export "b2") (param i64))
    (memory (export "memory") 1 2)
    (table (export "table") 3 funcref)
    (global (export "global") (mut f32) (f32.const 1.5))))");
  ASSERT_TRUE(module);
  auto instance = store.instantiate(*module, {});
  ASSERT_TRUE(instance);
  Instance& in = **instance;
  EXPECT_EQ(&in.module(), module.get());
  EXPECT_EQ(&in.store(), &store);

  FunctionInstance* a = in.exported_function("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, in.function(0));
  EXPECT_EQ(a->instance, &in);
  EXPECT_EQ(a->index, 0u);
  ASSERT_NE(a->code, nullptr);  // the lowered code of defined function 0
  EXPECT_EQ(a->code->function_index, 0u);
  EXPECT_EQ(in.exported_function("b")->code->function_index, 1u);
  EXPECT_EQ(in.exported_function("b"), in.exported_function("b2"));
  EXPECT_EQ(in.exported_function("b")->index, 1u);
  EXPECT_EQ(Store::function_type(a).results.size(), 1u);
  EXPECT_EQ(Store::function_type(in.function(1)).params[0], ValType::kI64);
  EXPECT_EQ(in.function(2), nullptr);

  auto memory = in.find_export("memory");
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->kind, ExternKind::kMemory);
  EXPECT_EQ(memory->memory, in.memory(0));
  EXPECT_EQ(Store::memory_pages(memory->memory), 1u);
  EXPECT_EQ(memory->memory->max_pages, 2u);
  EXPECT_EQ(in.memory(1), nullptr);

  auto table = in.find_export("table");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->kind, ExternKind::kTable);
  EXPECT_EQ(Store::table_size(table->table), 3u);
  EXPECT_EQ(*Store::table_get(table->table, 2), 0u);

  auto global = in.find_export("global");
  ASSERT_TRUE(global);
  EXPECT_EQ(global->kind, ExternKind::kGlobal);
  EXPECT_EQ(Store::global_get(global->global).of.f32, 1.5f);
  EXPECT_TRUE(Store::global_set(global->global, Value::f32(2.5f)));

  auto missing = in.find_export("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kExportNotFound);
  EXPECT_EQ(in.exported_function("memory"), nullptr);  // exists, but not a function
  EXPECT_EQ(in.exported_function("A"), nullptr);       // names are case-sensitive
}

TEST(RuntimeInstance, GlobalInitialisersSeeImportsAndFunctions) {
  Store store;
  GlobalInstance* base = *store.add_global(GlobalType{ValType::kI64, false}, Value::i64(-5));
  auto module = load_wat(R"((module
    (import "env" "base" (global i64))
    (func $f)
    (global (export "copy") i64 (global.get 0))
    (global (export "fref") funcref (ref.func $f))
    (global (export "null") externref (ref.null extern))
    (global (export "nan") f64 (f64.const nan:0x4000000000001))))");
  ASSERT_TRUE(module);
  const Extern imports[] = {Extern::of(base)};
  auto instance = store.instantiate(*module, imports);
  ASSERT_TRUE(instance);
  Instance& in = **instance;
  EXPECT_EQ(Store::global_get(in.find_export("copy")->global).of.i64,
            static_cast<std::uint64_t>(-5));
  EXPECT_EQ(Store::global_get(in.find_export("fref")->global).of.ref,
            reinterpret_cast<RefWord>(in.function(0)));
  EXPECT_EQ(Store::global_get(in.find_export("null")->global).of.ref, 0u);
  EXPECT_EQ(Store::global_get(in.find_export("nan")->global).f64_bits(), 0x7FF4000000000001ull);
}

TEST(RuntimeInstance, CanonicalTypeIdsAreSharedAcrossModules) {
  Store store;
  FunctionInstance* host =
      store.add_host_function(FuncType{kI32I32, kI32}, nop_host, nullptr, "add");
  auto first = load_wat(R"((module
    (type (func))
    (type (func (param i32 i32) (result i32)))
    (func (export "add") (type 1) local.get 0)
    (func (export "nothing") (type 0))))");
  auto second = load_wat(R"((module
    (type (func (param f32)))
    (type (func (param i32 i32) (result i32)))
    (type (func))
    (func (export "add") (type 1) local.get 1)
    (func (export "takes_f32") (type 0))
    (func (export "nothing") (type 2))))");
  ASSERT_TRUE(first && second);
  auto a = store.instantiate(*first, {});
  ASSERT_TRUE(a);
  // The first module dies; ids and types handed out for its types must stay valid.
  const std::uint32_t add_id = (*a)->exported_function("add")->type_id;
  auto b = store.instantiate(*second, {});
  ASSERT_TRUE(b);
  EXPECT_EQ(host->type_id, add_id);
  EXPECT_EQ((*b)->exported_function("add")->type_id, add_id);
  EXPECT_EQ((*b)->exported_function("nothing")->type_id,
            (*a)->exported_function("nothing")->type_id);
  EXPECT_NE((*b)->exported_function("takes_f32")->type_id, add_id);
  EXPECT_NE((*b)->exported_function("takes_f32")->type_id,
            (*b)->exported_function("nothing")->type_id);
  // Per-instance table of type index -> canonical id, as call_indirect uses it.
  ASSERT_EQ((*b)->impl().type_ids.size(), 3u);
  EXPECT_EQ((*b)->impl().type_ids[1], add_id);
  EXPECT_EQ((*a)->impl().type_ids[1], add_id);
  EXPECT_EQ(store.impl().canonical_types.size(), 3u);
}

TEST(RuntimeInstance, TypeSpansOutliveTheirModule) {
  Store store;
  FunctionInstance* f = nullptr;
  {
    auto module =
        load_wat(R"((module (func (export "f") (param i64 f32) (result f64) f64.const 0)))");
    ASSERT_TRUE(module);
    auto instance = store.instantiate(*module, {});
    ASSERT_TRUE(instance);
    f = (*instance)->exported_function("f");
  }
  const FuncType t = Store::function_type(f);
  ASSERT_EQ(t.params.size(), 2u);
  EXPECT_EQ(t.params[0], ValType::kI64);
  EXPECT_EQ(t.params[1], ValType::kF32);
  ASSERT_EQ(t.results.size(), 1u);
  EXPECT_EQ(t.results[0], ValType::kF64);
}

// -------------------------------------------------------------------------------------------
// Instance limits

TEST(RuntimeInstanceLimits, MemoryAndTableLimits) {
  Store store;
  auto module = load_wat(R"((module (memory (export "m") 2) (table (export "t") 10 funcref)))");
  ASSERT_TRUE(module);

  InstanceOptions small_memory;
  small_memory.limits.max_memory_pages = 1;
  auto r1 = store.instantiate(*module, {}, small_memory);
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, ErrorCode::kMemoryLimitExceeded);
  EXPECT_EQ(r1.error().phase(), Phase::kInstantiate);

  InstanceOptions small_table;
  small_table.limits.max_table_elements = 9;
  auto r2 = store.instantiate(*module, {}, small_table);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, ErrorCode::kTableLimitExceeded);

  InstanceOptions exact;
  exact.limits.max_memory_pages = 3;
  exact.limits.max_table_elements = 12;
  auto r3 = store.instantiate(*module, {}, exact);
  ASSERT_TRUE(r3);
  MemoryInstance* m = (*r3)->memory(0);
  EXPECT_EQ(m->max_pages, 3u);
  EXPECT_EQ(m->grow(1), 2);
  EXPECT_EQ(m->grow(1), -1);  // the module declares no maximum; the instance limit holds
  TableInstance* t = (*r3)->find_export("t")->table;
  EXPECT_EQ(t->grow(2, 0), 10);
  EXPECT_EQ(t->grow(1, 0), -1);
}

TEST(RuntimeInstanceLimits, DeclaredMaximumBelowTheLimitWins) {
  Store store;
  auto module = load_wat(R"((module (memory (export "m") 1 2)))");
  ASSERT_TRUE(module);
  auto instance = store.instantiate(*module, {});
  ASSERT_TRUE(instance);
  EXPECT_EQ((*instance)->memory(0)->max_pages, 2u);
  EXPECT_EQ((*instance)->memory(0)->grow(2), -1);
  EXPECT_EQ((*instance)->memory(0)->grow(1), 1);
}

// -------------------------------------------------------------------------------------------
// Segments

TEST(RuntimeSegments, ActiveSegmentsAreAppliedAndDropped) {
  Store store;
  GlobalInstance* base = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(4));
  auto module = load_wat(R"((module
    (import "env" "base" (global $base i32))
    (memory (export "m") 1)
    (table (export "t") 8 funcref)
    (func $f0) (func $f1) (func $f2)
    (elem (i32.const 1) func $f2 $f0)
    (elem (global.get $base) funcref (ref.func $f1) (ref.null func))
    (elem $passive func $f0 $f1 $f2)
    (elem declare func $f1)
    (data (i32.const 10) "abc")
    (data $passive_data "zzz")
    (data (i32.const 65533) "xyz")))");
  ASSERT_TRUE(module);
  const Extern imports[] = {Extern::of(base)};
  auto instance = store.instantiate(*module, imports);
  ASSERT_TRUE(instance);
  Instance& in = **instance;
  TableInstance* t = in.find_export("t")->table;
  auto ref = [&](std::uint32_t f) { return reinterpret_cast<RefWord>(in.function(f)); };
  EXPECT_EQ(*Store::table_get(t, 0), 0u);
  EXPECT_EQ(*Store::table_get(t, 1), ref(2));
  EXPECT_EQ(*Store::table_get(t, 2), ref(0));
  EXPECT_EQ(*Store::table_get(t, 3), 0u);
  EXPECT_EQ(*Store::table_get(t, 4), ref(1));
  EXPECT_EQ(*Store::table_get(t, 5), 0u);

  auto mem = Store::memory_data(in.memory(0));
  EXPECT_EQ(std::memcmp(mem.data() + 10, "abc", 3), 0);
  EXPECT_EQ(std::memcmp(mem.data() + 65533, "xyz", 3), 0);  // right up to the end
  EXPECT_EQ(mem[9], 0);
  EXPECT_EQ(mem[13], 0);

  // Active and declarative segments are dropped; the passive one keeps its references.
  const auto& impl = in.impl();
  ASSERT_EQ(impl.elems.size(), 4u);
  EXPECT_TRUE(impl.elems[0].refs.empty());
  EXPECT_TRUE(impl.elems[1].refs.empty());
  ASSERT_EQ(impl.elems[2].refs.size(), 3u);
  EXPECT_EQ(impl.elems[2].refs[2], ref(2));
  EXPECT_TRUE(impl.elems[3].refs.empty());
  ASSERT_EQ(impl.data_dropped.size(), 3u);
  EXPECT_EQ(impl.data_dropped[0], 1);
  EXPECT_EQ(impl.data_dropped[1], 0);
  EXPECT_EQ(impl.data_dropped[2], 1);
  EXPECT_EQ(impl.memory0, in.memory(0));
}

// Wasm 2.0: segments are applied in order; the first out-of-bounds one stops instantiation and
// the writes of the earlier ones to imported objects stay.
TEST(RuntimeSegments, OutOfBoundsElementSegmentKeepsEarlierWrites) {
  Store store;
  TableInstance* table = *store.add_table(TableType{ValType::kFuncRef, Limits{4, 0, false}});
  MemoryInstance* memory = *store.add_memory(MemoryType{Limits{1, 0, false}});
  auto module = load_wat(R"((module
    (import "env" "t" (table 4 funcref))
    (import "env" "m" (memory 1))
    (func $f)
    (elem (i32.const 0) func $f)
    (elem (i32.const 3) func $f $f)
    (elem (i32.const 2) func $f)
    (data (i32.const 0) "never")))");
  ASSERT_TRUE(module);
  const Extern imports[] = {Extern::of(table), Extern::of(memory)};
  const std::size_t instances_before = store.impl().instances.size();
  auto r = store.instantiate(*module, imports);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kOutOfBoundsTableAccess);
  EXPECT_EQ(r.error().index, 1u);
  EXPECT_NE(*Store::table_get(table, 0), 0u);   // segment 0 applied
  EXPECT_EQ(*Store::table_get(table, 2), 0u);   // segment 2 never ran
  EXPECT_EQ(*Store::table_get(table, 3), 0u);   // the failing segment wrote nothing
  EXPECT_EQ(Store::memory_data(memory)[0], 0);  // data segments come after elements
  // The function now in the imported table stays valid: the store keeps the failed instance.
  auto* f = reinterpret_cast<FunctionInstance*>(*Store::table_get(table, 0));
  EXPECT_EQ(store.impl().instances.size(), instances_before + 1);
  EXPECT_EQ(f->instance, store.impl().instances.back());
}

TEST(RuntimeSegments, OutOfBoundsDataSegmentKeepsEarlierWrites) {
  Store store;
  MemoryInstance* memory = *store.add_memory(MemoryType{Limits{1, 0, false}});
  auto module = load_wat(R"((module
    (import "env" "m" (memory 1))
    (data (i32.const 0) "first")
    (data (i32.const 65535) "ab")
    (data (i32.const 100) "third")))");
  ASSERT_TRUE(module);
  const Extern imports[] = {Extern::of(memory)};
  auto r = store.instantiate(*module, imports);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(r.error().index, 1u);
  auto data = Store::memory_data(memory);
  EXPECT_EQ(std::memcmp(data.data(), "first", 5), 0);
  EXPECT_EQ(data[65535], 0);
  EXPECT_EQ(data[100], 0);
}

TEST(RuntimeSegments, EmptySegmentsAtTheEndAreInBoundsButPastItAreNot) {
  Store store;
  auto at_end = load_wat(R"((module
    (memory 1) (table 2 funcref)
    (elem (i32.const 2) func)
    (data (i32.const 65536) "")))");
  ASSERT_TRUE(at_end);
  EXPECT_TRUE(store.instantiate(*at_end, {}));

  auto past_table = load_wat(R"((module (table 2 funcref) (elem (i32.const 3) func)))");
  ASSERT_TRUE(past_table);
  auto r1 = store.instantiate(*past_table, {});
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, ErrorCode::kOutOfBoundsTableAccess);

  auto past_memory = load_wat(R"((module (memory 1) (data (i32.const 65537) "")))");
  ASSERT_TRUE(past_memory);
  auto r2 = store.instantiate(*past_memory, {});
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, ErrorCode::kOutOfBoundsMemoryAccess);

  // Offsets are unsigned: -1 is 4 GiB - 1, not an index before the start.
  auto negative = load_wat(R"((module (memory 1) (data (i32.const -1) "x")))");
  ASSERT_TRUE(negative);
  auto r3 = store.instantiate(*negative, {});
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().code, ErrorCode::kOutOfBoundsMemoryAccess);
}

TEST(RuntimeSegments, OffsetsFromImportedGlobals) {
  Store store;
  GlobalInstance* far = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(100));
  GlobalInstance* near = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(4));
  auto module = load_wat(R"((module
    (import "env" "at" (global $at i32))
    (memory (export "m") 1)
    (table (export "t") 6 funcref)
    (func $f)
    (elem (table 0) (global.get $at) funcref)
    (elem (table 0) (i32.const 1) funcref (ref.func $f) (ref.null func) (ref.func $f))
    (data (global.get $at) "\01\02")))");
  ASSERT_TRUE(module);
  // Offset 100 is past the 6-element table: out of bounds even for an empty segment, as
  // table.init checks the offset for zero elements too.
  const Extern far_imports[] = {Extern::of(far)};
  auto r = store.instantiate(*module, far_imports);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kOutOfBoundsTableAccess);
  EXPECT_EQ(r.error().index, 0u);

  const Extern near_imports[] = {Extern::of(near)};
  auto instance = store.instantiate(*module, near_imports);
  ASSERT_TRUE(instance);
  TableInstance* t = (*instance)->find_export("t")->table;
  const auto f = reinterpret_cast<RefWord>((*instance)->function(0));
  EXPECT_EQ(*Store::table_get(t, 0), 0u);
  EXPECT_EQ(*Store::table_get(t, 1), f);
  EXPECT_EQ(*Store::table_get(t, 2), 0u);
  EXPECT_EQ(*Store::table_get(t, 3), f);
  auto data = Store::memory_data((*instance)->memory(0));
  EXPECT_EQ(data[3], 0);
  EXPECT_EQ(data[4], 1);
  EXPECT_EQ(data[5], 2);
}

TEST(RuntimeInstance, OnlyLoweredModulesInstantiate) {
  const auto bytes = runtime_test::wat_to_wasm("(module (func (export \"f\")))");
  ASSERT_FALSE(bytes.empty());
  LoadOptions validate_only;
  validate_only.stage = LoadStage::kValidate;
  auto module = Module::load(bytes, validate_only);
  ASSERT_TRUE(module);
  Store store;
  auto r = store.instantiate(**module, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kArgumentMismatch);
  EXPECT_TRUE(store.impl().instances.empty());
}

// -------------------------------------------------------------------------------------------
// Ownership

TEST(RuntimeOwnership, FailuresBeforeSegmentsLeaveTheStoreUnchanged) {
  Store store;
  auto module = load_wat(R"((module
    (import "env" "g" (global i32))
    (func) (func)
    (memory 2) (table 1 funcref)
    (global i32 (i32.const 0))))");
  ASSERT_TRUE(module);
  GlobalInstance* wrong = *store.add_global(GlobalType{ValType::kI64, false}, Value::i64(0));
  GlobalInstance* right = *store.add_global(GlobalType{ValType::kI32, false}, Value::i32(0));
  // Intern the module's types once so the canonical table does not count as growth.
  const Extern ok[] = {Extern::of(right)};
  ASSERT_TRUE(store.instantiate(*module, ok));

  const std::size_t bytes = allocated_bytes();
  const auto& s = store.impl();
  const std::size_t counts[] = {s.functions.size(), s.tables.size(), s.memories.size(),
                                s.globals.size(), s.instances.size()};
  const Extern bad[] = {Extern::of(wrong)};
  EXPECT_FALSE(store.instantiate(*module, bad));
  InstanceOptions tight;
  tight.limits.max_memory_pages = 1;
  EXPECT_FALSE(store.instantiate(*module, ok, tight));
  EXPECT_EQ(allocated_bytes(), bytes);
  const std::size_t after[] = {s.functions.size(), s.tables.size(), s.memories.size(),
                               s.globals.size(), s.instances.size()};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(after[i], counts[i]) << i;
}

TEST(RuntimeOwnership, StoreDestructionFreesInstancesAndTheirObjects) {
  auto module = load_wat(R"((module
    (type (func (param i32) (result i32)))
    (memory (export "m") 1) (table 4 funcref)
    (func $f (type 0) local.get 0)
    (global (mut i64) (i64.const 1))
    (elem (i32.const 0) func $f $f)
    (elem $p func $f)
    (data (i32.const 0) "hello")
    (data $q "passive")))");
  ASSERT_TRUE(module);
  auto out_of_bounds = load_wat(R"((module (memory 1) (func) (data (i32.const 65536) "x")))");
  ASSERT_TRUE(out_of_bounds);
  const std::size_t start = allocated_bytes();
  {
    Store store;
    for (int i = 0; i < 3; ++i) {
      auto instance = store.instantiate(*module, {});
      ASSERT_TRUE(instance);
      EXPECT_EQ((*instance)->memory(0)->grow(2), 1);
    }
    EXPECT_FALSE(store.instantiate(*out_of_bounds, {}));  // committed, then failed
    EXPECT_GT(allocated_bytes(), start + 3 * 3 * 65536);
  }
  EXPECT_EQ(allocated_bytes(), start);
}

TEST(RuntimeOwnership, HeapInstancesAndStoresUseTheHook) {
  auto module = load_wat("(module (memory 1))");
  ASSERT_TRUE(module);
  const std::size_t start = allocated_bytes();
  auto* store = new Store;
  auto instance = store->instantiate(*module, {});
  ASSERT_TRUE(instance);
  EXPECT_GE(allocated_bytes(), start + sizeof(Store) + sizeof(Instance) + 65536);
  delete store;
  EXPECT_EQ(allocated_bytes(), start);
}

// -------------------------------------------------------------------------------------------
// Start function (runs through Execution)

TEST(RuntimeStart, StartFunctionRunsAfterSegments) {
  Store store;
  auto module = load_wat(R"((module
    (memory 1)
    (global (export "g") (mut i32) (i32.const 0))
    (data (i32.const 8) "\2a")
    (func $start (global.set 0 (i32.load8_u (i32.const 8))))
    (start $start)))");
  ASSERT_TRUE(module);
  auto instance = store.instantiate(*module, {});
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_EQ(Store::global_get((*instance)->find_export("g")->global).of.i32, 42u);
}

TEST(RuntimeStart, TrappingStartFailsButKeepsItsEffects) {
  Store store;
  MemoryInstance* memory = *store.add_memory(MemoryType{Limits{1, 0, false}});
  auto module = load_wat(R"((module
    (import "env" "m" (memory 1))
    (func $start (i32.store8 (i32.const 3) (i32.const 7)) unreachable)
    (start $start)))");
  ASSERT_TRUE(module);
  const Extern imports[] = {Extern::of(memory)};
  auto r = store.instantiate(*module, imports);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnreachable);
  EXPECT_EQ(Store::memory_data(memory)[3], 7);
}

HostStatus suspend_once(HostCall& call) {
  int* calls = static_cast<int*>(call.user_data);
  return (*calls)++ == 0 ? HostStatus::kSuspend : HostStatus::kReturn;
}

TEST(RuntimeStart, SuspendedStartNeedsAnExecutionToResume) {
  Store store;
  int calls = 0;
  FunctionInstance* host = store.add_host_function(FuncType{}, suspend_once, &calls, "pause");
  auto module = load_wat(R"((module
    (import "env" "pause" (func $pause))
    (global (export "done") (mut i32) (i32.const 0))
    (func $start (call $pause) (global.set 0 (i32.const 1)))
    (start $start)))");
  ASSERT_TRUE(module);
  const Extern imports[] = {Extern::of(host)};

  auto temporary = store.instantiate(*module, imports);
  ASSERT_FALSE(temporary);
  EXPECT_EQ(temporary.error().code, ErrorCode::kStartSuspended);

  calls = 0;
  Execution execution;
  InstanceOptions options;
  options.execution = &execution;
  auto instance = store.instantiate(*module, imports, options);
  ASSERT_TRUE(instance);
  EXPECT_EQ(execution.state(), RunState::kSuspended);
  GlobalInstance* done = (*instance)->find_export("done")->global;
  EXPECT_EQ(Store::global_get(done).of.i32, 0u);

  // While suspended the execution cannot run another start function: refused up front.
  const std::size_t instances = store.impl().instances.size();
  auto busy = store.instantiate(*module, imports, options);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, ErrorCode::kBusy);
  EXPECT_EQ(store.impl().instances.size(), instances);
  EXPECT_EQ(calls, 1);
  auto resumed = execution.resume();
  ASSERT_TRUE(resumed);
  EXPECT_EQ(*resumed, RunState::kReturned);
  EXPECT_EQ(Store::global_get(done).of.i32, 1u);
}

}  // namespace
}  // namespace wasmio
