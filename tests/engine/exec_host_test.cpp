// Host functions called from Wasm (in-place slots, multi-value, no allocation, suspend and retry,
// traps, guest memory access) and the out-of-bounds handler hook of linear memory.
#include <cstring>
#include <map>

#include "exec_test_support.h"

namespace wasmio {
namespace {

using exec_test::call_ok;
using exec_test::call_trap;

struct HostState {
  int calls = 0;
  bool suspend_next = false;
  std::string seen;
};

HostStatus host_add(HostCall& call) {
  auto* state = static_cast<HostState*>(call.user_data);
  ++state->calls;
  call.set_i32(0, call.arg_i32(0) + call.arg_i32(1));
  return HostStatus::kReturn;
}

HostStatus host_split(HostCall& call) {
  const std::uint64_t v = call.arg_i64(0);
  call.set_i32(0, static_cast<std::uint32_t>(v));
  call.set_i32(1, static_cast<std::uint32_t>(v >> 32));
  return HostStatus::kReturn;
}

// Suspends every other call; arguments are untouched when suspending, so the retry sees them.
HostStatus host_flaky(HostCall& call) {
  auto* state = static_cast<HostState*>(call.user_data);
  ++state->calls;
  if (state->suspend_next) {
    state->suspend_next = false;
    return HostStatus::kSuspend;
  }
  state->suspend_next = true;
  call.set_i32(0, call.arg_i32(0) * 2);
  return HostStatus::kReturn;
}

HostStatus host_print(HostCall& call) {
  auto* state = static_cast<HostState*>(call.user_data);
  const std::uint32_t ptr = call.arg_i32(0);
  const std::uint32_t len = call.arg_i32(1);
  auto memory = call.memory();
  if (static_cast<std::uint64_t>(ptr) + len > memory.size()) return call.fail(ErrorCode::kOutOfBoundsMemoryAccess);
  state->seen.assign(reinterpret_cast<const char*>(memory.data()) + ptr, len);
  return HostStatus::kReturn;
}

HostStatus host_fail(HostCall& call) { return call.fail(ErrorCode::kHostTrap); }

constexpr ValType kI32x2[] = {ValType::kI32, ValType::kI32};
constexpr ValType kI32x1[] = {ValType::kI32};
constexpr ValType kI64x1[] = {ValType::kI64};

struct HostFixture {
  HostState state;
  exec_test::Loaded m;

  explicit HostFixture(const std::string& wat) {
    auto store = std::make_unique<Store>();
    std::vector<Extern> imports;
    imports.push_back(Extern::of(store->add_host_function(FuncType{kI32x2, kI32x1}, host_add, &state, "add")));
    imports.push_back(Extern::of(store->add_host_function(FuncType{kI64x1, kI32x2}, host_split, &state, "split")));
    imports.push_back(Extern::of(store->add_host_function(FuncType{kI32x1, kI32x1}, host_flaky, &state, "flaky")));
    imports.push_back(Extern::of(store->add_host_function(FuncType{kI32x2, {}}, host_print, &state, "print")));
    imports.push_back(Extern::of(store->add_host_function(FuncType{{}, {}}, host_fail, &state, "fail")));
    m = exec_test::load(wat, std::move(store), imports);
  }
};

constexpr const char* kImports = R"(
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (import "host" "split" (func $split (param i64) (result i32 i32)))
  (import "host" "flaky" (func $flaky (param i32) (result i32)))
  (import "host" "print" (func $print (param i32 i32)))
  (import "host" "fail" (func $fail))
)";

TEST(ExecHost, CallsFromALoopUseInPlaceSlots) {
  HostFixture f(std::string("(module") + kImports + R"(
    (func (export "sum") (param $n i32) (result i32) (local $acc i32) (local $i i32)
      (loop $l
        (local.set $acc (call $add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $acc))
    (func (export "split_sum") (param i64) (result i32)
      (i32.sub (call $split (local.get 0)))))
  )");
  ASSERT_NE(f.m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, f.m.function("sum"), {Value::i32(1000)}), 499500u);
  EXPECT_EQ(f.state.calls, 1000);
  EXPECT_EQ(call_ok(ex, f.m.function("split_sum"), {Value::i64(0x0000000300000010ull)}), 13u);
}

// Counts every allocation made through the engine's hook while alive.
class CountingAllocator {
 public:
  CountingAllocator() {
    previous_ = current_allocator();
    AllocatorHooks hooks;
    hooks.allocate = [](std::size_t size, std::size_t, void* context) -> void* {
      ++static_cast<CountingAllocator*>(context)->allocations_;
      return std::malloc(size == 0 ? 1 : size);
    };
    hooks.deallocate = [](void* pointer, std::size_t, std::size_t, void*) { std::free(pointer); };
    hooks.context = this;
    set_allocator(hooks);
  }
  ~CountingAllocator() { set_allocator(previous_); }
  int allocations() const { return allocations_; }

 private:
  int allocations_ = 0;
  AllocatorHooks previous_;
};

TEST(ExecHost, HostCallsAndRunsAllocateNothing) {
  HostFixture f(std::string("(module") + kImports + R"(
    (func (export "sum") (param $n i32) (result i32) (local $acc i32)
      (loop $l
        (local.set $acc (call $add (local.get $acc) (local.get $n)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $acc)))
  )");
  ASSERT_NE(f.m.instance, nullptr);
  Execution ex;
  EXPECT_EQ(call_ok(ex, f.m.function("sum"), {Value::i32(10)}), 55u);  // warm: results storage
  CountingAllocator counter;
  EXPECT_EQ(call_ok(ex, f.m.function("sum"), {Value::i32(10000)}), 50005000u);
  EXPECT_EQ(counter.allocations(), 0);
}

TEST(ExecHost, SuspendedHostCallIsRetriedOnResume) {
  HostFixture f(std::string("(module") + kImports + R"(
    (func (export "twice") (param $x i32) (result i32)
      (call $flaky (call $flaky (local.get $x)))))
  )");
  ASSERT_NE(f.m.instance, nullptr);
  Execution ex;
  f.state.suspend_next = true;
  auto r = ex.invoke(f.m.function("twice"), std::vector<Value>{Value::i32(5)});
  int suspensions = 0;
  while (r && *r == RunState::kSuspended) {
    EXPECT_EQ(ex.suspend_reason(), SuspendReason::kHost);
    ++suspensions;
    r = ex.resume();
  }
  ASSERT_TRUE(r);
  EXPECT_EQ(ex.results()[0].of.i32, 20u);
  EXPECT_EQ(suspensions, 2);
  EXPECT_EQ(f.state.calls, 4);

  // A host function invoked directly by the embedder suspends and retries the same way.
  f.state.suspend_next = true;
  FunctionInstance* flaky = f.m.instance->function(2);
  r = ex.invoke(flaky, std::vector<Value>{Value::i32(21)});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, RunState::kSuspended);
  r = ex.resume();
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, RunState::kReturned);
  EXPECT_EQ(ex.results()[0].of.i32, 42u);
}

TEST(ExecHost, GuestMemoryAndHostTraps) {
  HostFixture f(std::string("(module") + kImports + R"(
    (memory 1)
    (data (i32.const 100) "hello, host")
    (func (export "hello") (call $print (i32.const 100) (i32.const 11)))
    (func (export "bad_pointer") (call $print (i32.const 65530) (i32.const 11)))
    (func $inner (call $fail))
    (func (export "fails") (call $inner)))
  )");
  ASSERT_NE(f.m.instance, nullptr);
  Execution ex;
  call_ok(ex, f.m.function("hello"), {});
  EXPECT_EQ(f.state.seen, "hello, host");
  EXPECT_EQ(call_trap(ex, f.m.function("bad_pointer"), {}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(call_trap(ex, f.m.function("fails"), {}), ErrorCode::kHostTrap);
  ASSERT_EQ(ex.backtrace().size(), 2u);
  EXPECT_EQ(ex.backtrace()[0].name, "inner");
}

// A fake register window at 0x40000000 served by the out-of-bounds hook.
struct Window {
  std::map<std::uint64_t, std::uint64_t> registers;
  int loads = 0;
  int stores = 0;
};

bool window_load(void* context, std::uint64_t address, unsigned bytes, std::uint64_t* value) {
  auto* w = static_cast<Window*>(context);
  if (address < 0x40000000u || address + bytes > 0x40001000u) return false;
  ++w->loads;
  *value = w->registers[address];
  return true;
}
bool window_store(void* context, std::uint64_t address, unsigned bytes, std::uint64_t value) {
  auto* w = static_cast<Window*>(context);
  if (address < 0x40000000u || address + bytes > 0x40001000u) return false;
  ++w->stores;
  w->registers[address] = value;
  return true;
}

TEST(ExecHost, OutOfBoundsHandlerServesRegisterWindows) {
  auto m = exec_test::load(R"((module
    (memory (export "memory") 1)
    (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "peek8") (param i32) (result i32) (i32.load8_u offset=4 (local.get 0))))
  )");
  ASSERT_NE(m.instance, nullptr);
  Window window;
  OutOfBoundsHandler handler;
  handler.load = window_load;
  handler.store = window_store;
  handler.context = &window;
  Store::set_out_of_bounds_handler(m.instance->memory(0), handler);
  Execution ex;
  // Ordinary memory is untouched by the hook.
  call_ok(ex, m.function("poke"), {Value::i32(16), Value::i32(7)});
  EXPECT_EQ(call_ok(ex, m.function("peek"), {Value::i32(16)}), 7u);
  EXPECT_EQ(window.loads + window.stores, 0);
  // The window.
  call_ok(ex, m.function("poke"), {Value::i32(0x40000010u), Value::i32(0xCAFE)});
  EXPECT_EQ(window.registers[0x40000010u], 0xCAFEu);
  EXPECT_EQ(call_ok(ex, m.function("peek"), {Value::i32(0x40000010u)}), 0xCAFEu);
  window.registers[0x40000024u] = 0x1FF;
  // The access takes the low `bytes` bytes of what the hook produced.
  EXPECT_EQ(call_ok(ex, m.function("peek8"), {Value::i32(0x40000020u)}), 0xFFu);
  // Outside both: the spec's trap.
  EXPECT_EQ(call_trap(ex, m.function("peek"), {Value::i32(0x50000000u)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(call_trap(ex, m.function("poke"), {Value::i32(65534), Value::i32(1)}), ErrorCode::kOutOfBoundsMemoryAccess);
}

}  // namespace
}  // namespace wasmio
