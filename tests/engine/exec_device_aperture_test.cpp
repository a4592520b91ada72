// Device apertures (wasmio/engine.h): register windows outside linear memory, served by the
// interpreter with exactly the instruction's width (raw) or through a callback (modelled);
// every other access outside linear memory traps, and only the offending call.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "exec_test_support.h"

namespace wasmio {
namespace {

using exec_test::call_ok;
using exec_test::call_trap;

// Every load and store of the MVP at the address given (offset 0), and the bulk operations.
constexpr const char* kAccessModule = R"((module
  (memory (export "memory") 1)
  (data $seg "\01\02\03\04")
  (func (export "i32.load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "i32.load16_u") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i32.load_offset8") (param i32) (result i32) (i32.load offset=8 (local.get 0)))
  (func (export "i64.load8_s") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "i64.load8_u") (param i32) (result i64) (i64.load8_u (local.get 0)))
  (func (export "i64.load16_s") (param i32) (result i64) (i64.load16_s (local.get 0)))
  (func (export "i64.load16_u") (param i32) (result i64) (i64.load16_u (local.get 0)))
  (func (export "i64.load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "i64.load32_u") (param i32) (result i64) (i64.load32_u (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "f32.load") (param i32) (result f32) (f32.load (local.get 0)))
  (func (export "f64.load") (param i32) (result f64) (f64.load (local.get 0)))
  (func (export "i32.store8") (param i32 i64) (i32.store8 (local.get 0) (i32.wrap_i64 (local.get 1))))
  (func (export "i32.store16") (param i32 i64) (i32.store16 (local.get 0) (i32.wrap_i64 (local.get 1))))
  (func (export "i32.store") (param i32 i64) (i32.store (local.get 0) (i32.wrap_i64 (local.get 1))))
  (func (export "i64.store8") (param i32 i64) (i64.store8 (local.get 0) (local.get 1)))
  (func (export "i64.store16") (param i32 i64) (i64.store16 (local.get 0) (local.get 1)))
  (func (export "i64.store32") (param i32 i64) (i64.store32 (local.get 0) (local.get 1)))
  (func (export "i64.store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "f32.store") (param i32 i64)
    (f32.store (local.get 0) (f32.reinterpret_i32 (i32.wrap_i64 (local.get 1)))))
  (func (export "f64.store") (param i32 i64) (f64.store (local.get 0) (f64.reinterpret_i64 (local.get 1))))
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0xAB) (local.get 1)))
  (func (export "copy_to") (param i32 i32) (memory.copy (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "copy_from") (param i32 i32) (memory.copy (i32.const 0) (local.get 0) (local.get 1)))
  (func (export "init") (param i32) (memory.init $seg (local.get 0) (i32.const 0) (i32.const 4)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; Reads `n` times from `a` then `b` alternately (the one-entry cache switching windows).
  (func (export "alternate") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $a))))
      (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $b))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum)))
)";

constexpr std::uint32_t kRawBase = 0x40000000u;  // a raw aperture of 64 bytes
constexpr std::uint32_t kModelBase = 0x40001000u;  // a modelled aperture of 16 bytes

// What a modelled device saw, in order.
struct DeviceLog {
  std::vector<std::string> accesses;
  std::uint64_t next_value = 0;
  bool fail = false;
};

bool model_load(void* context, std::uint32_t tag, std::uint64_t offset, unsigned bytes,
                std::uint64_t* value) {
  auto* log = static_cast<DeviceLog*>(context);
  log->accesses.push_back("r" + std::to_string(tag) + ":" + std::to_string(offset) + "/" + std::to_string(bytes));
  *value = log->next_value;
  return !log->fail;
}
bool model_store(void* context, std::uint32_t tag, std::uint64_t offset, unsigned bytes,
                 std::uint64_t value) {
  auto* log = static_cast<DeviceLog*>(context);
  log->accesses.push_back("w" + std::to_string(tag) + ":" + std::to_string(offset) + "/" + std::to_string(bytes) +
                          "=" + std::to_string(value));
  return !log->fail;
}

// What the embedder's hooks saw.
struct Hooks {
  int fallback_loads = 0;
  int fallback_stores = 0;
  std::vector<std::string> refused;
};

bool fallback_load(void* context, std::uint64_t, unsigned, std::uint64_t*) {
  ++static_cast<Hooks*>(context)->fallback_loads;
  return false;
}
bool fallback_store(void* context, std::uint64_t, unsigned, std::uint64_t) {
  ++static_cast<Hooks*>(context)->fallback_stores;
  return false;
}
void on_refused(void* context, const DeviceAperture& a, std::uint64_t address, unsigned bytes, bool is_store) {
  static_cast<Hooks*>(context)->refused.push_back(std::string(is_store ? "store" : "load") + "@" +
                                                   std::to_string(address - a.guest_base) + "/" +
                                                   std::to_string(bytes) + " tag " + std::to_string(a.tag));
}

class DeviceApertures : public ::testing::Test {
 protected:
  void SetUp() override {
    m = exec_test::load(kAccessModule);
    ASSERT_NE(m.instance, nullptr);
    std::memset(registers, 0, sizeof registers);
    apertures[0].guest_base = kRawBase;
    apertures[0].size = 64;
    apertures[0].widths = 1 | 2 | 4 | 8;
    apertures[0].raw = reinterpret_cast<volatile std::uint8_t*>(registers);
    apertures[0].tag = 7;
    apertures[1].guest_base = kModelBase;
    apertures[1].size = 16;
    apertures[1].widths = 4;
    apertures[1].load = &model_load;
    apertures[1].store = &model_store;
    apertures[1].context = &device;
    apertures[1].tag = 9;
    handler.load = &fallback_load;
    handler.store = &fallback_store;
    handler.context = &hooks;
    handler.refused = &on_refused;
    handler.apertures = apertures;
    ASSERT_TRUE(Store::set_out_of_bounds_handler(m.instance->memory(0), handler));
  }
  FunctionInstance* f(const char* name) { return m.function(name); }
  std::uint64_t load(const char* name, std::uint32_t address) {
    return call_ok(ex, f(name), {Value::i32(address)});
  }
  void store(const char* name, std::uint32_t address, std::uint64_t value) {
    call_ok(ex, f(name), {Value::i32(address), Value::i64(value)});
  }
  ErrorCode store_trap(const char* name, std::uint32_t address, std::uint64_t value) {
    return call_trap(ex, f(name), {Value::i32(address), Value::i64(value)});
  }
  bool registers_zero() const {
    for (std::uint64_t r : registers) {
      if (r != 0) return false;
    }
    return true;
  }

  exec_test::Loaded m;
  Execution ex;
  alignas(8) std::uint64_t registers[8];
  DeviceAperture apertures[2];
  DeviceLog device;
  Hooks hooks;
  OutOfBoundsHandler handler;
};

TEST_F(DeviceApertures, RawLoadsOfEveryWidthReadExactlyTheirBytes) {
  const std::uint8_t bytes[16] = {0x81, 0x92, 0xA3, 0xB4, 0xC5, 0xD6, 0xE7, 0xF8,
                                  0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x00};
  std::memcpy(registers, bytes, sizeof bytes);
  EXPECT_EQ(load("i32.load8_s", kRawBase + 1), 0xFFFFFF92u);
  EXPECT_EQ(load("i32.load8_u", kRawBase + 1), 0x92u);
  EXPECT_EQ(load("i32.load16_s", kRawBase + 2), 0xFFFFB4A3u);
  EXPECT_EQ(load("i32.load16_u", kRawBase + 2), 0xB4A3u);
  EXPECT_EQ(load("i32.load", kRawBase + 4), 0xF8E7D6C5u);
  EXPECT_EQ(load("i32.load_offset8", kRawBase - 4), 0xF8E7D6C5u);  // address + offset
  EXPECT_EQ(load("i64.load8_s", kRawBase + 3), 0xFFFFFFFFFFFFFFB4ull);
  EXPECT_EQ(load("i64.load8_u", kRawBase + 3), 0xB4u);
  EXPECT_EQ(load("i64.load16_s", kRawBase + 6), 0xFFFFFFFFFFFFF8E7ull);
  EXPECT_EQ(load("i64.load16_u", kRawBase + 6), 0xF8E7u);
  EXPECT_EQ(load("i64.load32_s", kRawBase + 4), 0xFFFFFFFFF8E7D6C5ull);
  EXPECT_EQ(load("i64.load32_u", kRawBase + 4), 0xF8E7D6C5u);
  EXPECT_EQ(load("i64.load", kRawBase), 0xF8E7D6C5B4A39281ull);
  EXPECT_EQ(load("f32.load", kRawBase + 8), 0x3F800000u);  // 1.0f
  EXPECT_EQ(load("f64.load", kRawBase), 0xF8E7D6C5B4A39281ull);
  EXPECT_EQ(load("i32.load", kRawBase + 60), 0u);  // the last word
  EXPECT_TRUE(hooks.refused.empty());
  EXPECT_EQ(hooks.fallback_loads, 0);
}

TEST_F(DeviceApertures, RawStoresOfEveryWidthWriteExactlyTheirBytes) {
  struct Case {
    const char* fn;
    unsigned offset;
    unsigned bytes;
  };
  const Case cases[] = {{"i32.store8", 5, 1},  {"i32.store16", 6, 2}, {"i32.store", 12, 4},
                        {"i64.store8", 17, 1}, {"i64.store16", 18, 2}, {"i64.store32", 20, 4},
                        {"i64.store", 24, 8},  {"f32.store", 36, 4},   {"f64.store", 40, 8}};
  const std::uint64_t value = 0x1122334455667788ull;
  for (const Case& c : cases) {
    std::memset(registers, 0xEE, sizeof registers);
    store(c.fn, kRawBase + c.offset, value);
    const auto* r = reinterpret_cast<const std::uint8_t*>(registers);
    for (unsigned i = 0; i < sizeof registers; ++i) {
      const bool written = i >= c.offset && i < c.offset + c.bytes;
      const std::uint8_t expected = written ? static_cast<std::uint8_t>(value >> (8 * (i - c.offset))) : 0xEE;
      ASSERT_EQ(r[i], expected) << c.fn << " byte " << i;
    }
  }
  EXPECT_TRUE(hooks.refused.empty());
}

TEST_F(DeviceApertures, ModelledAperturesSeeEachAccessInProgramOrderWithItsWidth) {
  device.next_value = 0xFFFFFFFF12345678ull;  // more than 4 bytes: the load keeps the low 4
  EXPECT_EQ(load("i32.load", kModelBase + 4), 0x12345678u);
  EXPECT_EQ(load("i64.load32_u", kModelBase + 12), 0x12345678u);
  store("i32.store", kModelBase + 8, 0xAABBCCDDu);
  store("i64.store32", kModelBase, 5);
  const std::vector<std::string> expected = {"r9:4/4", "r9:12/4", "w9:8/4=2864434397", "w9:0/4=5"};
  EXPECT_EQ(device.accesses, expected);
  device.fail = true;  // a device fault: the access traps, nothing else is called
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kModelBase)}), ErrorCode::kAccessViolation);
  EXPECT_EQ(store_trap("i32.store", kModelBase, 1), ErrorCode::kAccessViolation);
  EXPECT_TRUE(hooks.refused.empty());
  EXPECT_EQ(hooks.fallback_loads + hooks.fallback_stores, 0);
}

TEST_F(DeviceApertures, StraddlingMisalignedAndWrongWidthAccessesAreRefused) {
  apertures[0].widths = 4;  // 32-bit only now
  ASSERT_TRUE(Store::set_out_of_bounds_handler(m.instance->memory(0), handler));
  registers[0] = 0x1234;
  EXPECT_EQ(load("i32.load", kRawBase), 0x1234u);  // and it is cached: the refusals below
                                                   // must be refused by the inline path too
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase + 62)}), ErrorCode::kAccessViolation);
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase + 2)}), ErrorCode::kAccessViolation);
  EXPECT_EQ(call_trap(ex, f("i32.load16_u"), {Value::i32(kRawBase)}), ErrorCode::kAccessViolation);
  EXPECT_EQ(call_trap(ex, f("i64.load"), {Value::i32(kRawBase)}), ErrorCode::kAccessViolation);
  EXPECT_EQ(store_trap("i32.store8", kRawBase + 4, 1), ErrorCode::kAccessViolation);
  EXPECT_EQ(store_trap("i64.store", kRawBase + 56, 1), ErrorCode::kAccessViolation);
  EXPECT_EQ(store_trap("i32.store", kRawBase + 61, 1), ErrorCode::kAccessViolation);
  EXPECT_EQ(store_trap("i32.store", kModelBase + 14, 1), ErrorCode::kAccessViolation);  // straddles
  EXPECT_EQ(store_trap("i32.store16", kModelBase, 1), ErrorCode::kAccessViolation);
  const std::vector<std::string> expected = {"load@62/4 tag 7",  "load@2/4 tag 7",   "load@0/2 tag 7",
                                             "load@0/8 tag 7",   "store@4/1 tag 7",  "store@56/8 tag 7",
                                             "store@61/4 tag 7", "store@14/4 tag 9", "store@0/2 tag 9"};
  EXPECT_EQ(hooks.refused, expected);
  EXPECT_EQ(registers[0], 0x1234u);
  for (int i = 1; i < 8; ++i) EXPECT_EQ(registers[i], 0u);
  EXPECT_TRUE(device.accesses.empty());
}

TEST_F(DeviceApertures, AddressesOutsideEveryApertureGoToTheHooksThenTrapOutOfBounds) {
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase - 4)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase + 64)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(store_trap("i32.store", 0x7FFFFFF0u, 1), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(hooks.fallback_loads, 2);
  EXPECT_EQ(hooks.fallback_stores, 1);
  // An access straddling the end of linear memory is out of bounds, even with an aperture right
  // behind it: neither part is served.
  DeviceAperture behind = apertures[0];
  behind.guest_base = 0x10000;
  ASSERT_TRUE(Store::set_out_of_bounds_handler(m.instance->memory(0), OutOfBoundsHandler{nullptr, nullptr, nullptr, {&behind, 1}}));
  EXPECT_EQ(load("i32.load", 0x10000), 0u);
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(0xFFFE)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(store_trap("i32.store", 0xFFFE, 0xFFFFFFFF), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_TRUE(registers_zero());
  EXPECT_EQ(Store::memory_data(m.instance->memory(0))[0xFFFF], 0u);
}

TEST_F(DeviceApertures, BulkMemoryOperationsNeverReachAWindow) {
  EXPECT_EQ(call_trap(ex, f("fill"), {Value::i32(kRawBase), Value::i32(4)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(call_trap(ex, f("copy_to"), {Value::i32(kRawBase), Value::i32(4)}), ErrorCode::kOutOfBoundsMemoryAccess);
  registers[0] = 0x55;
  EXPECT_EQ(call_trap(ex, f("copy_from"), {Value::i32(kRawBase), Value::i32(4)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(call_trap(ex, f("init"), {Value::i32(kRawBase)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(call_trap(ex, f("fill"), {Value::i32(kModelBase), Value::i32(4)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(registers[0], 0x55u);
  for (int i = 1; i < 8; ++i) EXPECT_EQ(registers[i], 0u);
  EXPECT_EQ(Store::memory_data(m.instance->memory(0))[0], 0u);  // copy_from copied nothing
  EXPECT_TRUE(device.accesses.empty());
  EXPECT_EQ(hooks.fallback_loads + hooks.fallback_stores, 0);
}

TEST_F(DeviceApertures, TheCacheFollowsTheWindowInUse) {
  std::uint32_t other[4] = {100, 0, 0, 0};
  DeviceAperture two[2] = {apertures[0], apertures[0]};
  two[1].guest_base = kRawBase + 0x100;
  two[1].size = sizeof other;
  two[1].raw = reinterpret_cast<volatile std::uint8_t*>(other);
  two[1].widths = 4;
  handler.apertures = two;
  ASSERT_TRUE(Store::set_out_of_bounds_handler(m.instance->memory(0), handler));
  registers[0] = 1;
  EXPECT_EQ(call_ok(ex, f("alternate"), {Value::i32(kRawBase), Value::i32(kRawBase + 0x100), Value::i32(10)}),
            1010u);
  // Past the end of the second, smaller window while the first one's larger size is cached.
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase + 0x110)}), ErrorCode::kOutOfBoundsMemoryAccess);
  EXPECT_EQ(load("i32.load", kRawBase + 0x10C), 0u);
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase + 0x40)}), ErrorCode::kOutOfBoundsMemoryAccess);
}

TEST_F(DeviceApertures, ATrapEndsOnlyTheOffendingCall) {
  exec_test::Loaded other = exec_test::load(kAccessModule);
  ASSERT_NE(other.instance, nullptr);
  std::uint32_t other_registers[2] = {0, 0};
  DeviceAperture a = apertures[0];
  a.raw = reinterpret_cast<volatile std::uint8_t*>(other_registers);
  a.size = sizeof other_registers;
  a.widths = 4;
  ASSERT_TRUE(Store::set_out_of_bounds_handler(other.instance->memory(0), OutOfBoundsHandler{nullptr, nullptr, nullptr, {&a, 1}}));
  Execution other_ex;
  EXPECT_EQ(call_trap(ex, f("i32.load"), {Value::i32(kRawBase + 1)}), ErrorCode::kAccessViolation);
  call_ok(other_ex, other.function("i32.store"), {Value::i32(kRawBase + 4), Value::i64(42)});
  EXPECT_EQ(other_registers[1], 42u);
  // The same instance goes on too, and its window is its own.
  store("i32.store", kRawBase + 4, 7);
  EXPECT_EQ(registers[0] >> 32, 7u);
  EXPECT_EQ(other_registers[1], 42u);
}

TEST_F(DeviceApertures, InstallingRefusesAperturesItCannotHonour) {
  MemoryInstance* memory = m.instance->memory(0);
  auto refused = [&](DeviceAperture a) {
    return !Store::set_out_of_bounds_handler(memory, OutOfBoundsHandler{nullptr, nullptr, nullptr, {&a, 1}});
  };
  DeviceAperture inside = apertures[0];
  inside.guest_base = 0x8000;  // inside the current linear memory
  EXPECT_TRUE(refused(inside));
  DeviceAperture empty = apertures[0];
  empty.size = 0;
  EXPECT_TRUE(refused(empty));
  DeviceAperture no_width = apertures[0];
  no_width.widths = 0;
  EXPECT_TRUE(refused(no_width));
  DeviceAperture odd_width = apertures[0];
  odd_width.widths = 0x10;
  EXPECT_TRUE(refused(odd_width));
  DeviceAperture misaligned = apertures[0];
  misaligned.raw = reinterpret_cast<volatile std::uint8_t*>(registers) + 2;  // 8-byte accesses
  EXPECT_TRUE(refused(misaligned));
  DeviceAperture no_callbacks = apertures[1];
  no_callbacks.store = nullptr;
  EXPECT_TRUE(refused(no_callbacks));
  DeviceAperture huge = apertures[0];
  huge.size = ~std::uint64_t{0};
  EXPECT_TRUE(refused(huge));
  DeviceAperture overlapping[2] = {apertures[0], apertures[0]};
  overlapping[1].guest_base = kRawBase + 60;
  EXPECT_FALSE(Store::set_out_of_bounds_handler(memory, OutOfBoundsHandler{nullptr, nullptr, nullptr, overlapping}));
  // A refused install leaves the previous handler in place.
  registers[0] = 3;
  EXPECT_EQ(load("i32.load", kRawBase), 3u);
}

TEST_F(DeviceApertures, LinearMemoryNeverGrowsOverAnAperture) {
  DeviceAperture low = apertures[0];
  low.guest_base = 0x30000;  // leaves room for 3 pages
  ASSERT_TRUE(Store::set_out_of_bounds_handler(m.instance->memory(0), OutOfBoundsHandler{nullptr, nullptr, nullptr, {&low, 1}}));
  EXPECT_EQ(call_ok(ex, f("grow"), {Value::i32(2)}), 1u);
  EXPECT_EQ(call_ok(ex, f("grow"), {Value::i32(1)}), 0xFFFFFFFFu);
  registers[0] = 77;
  EXPECT_EQ(load("i32.load", 0x30000), 77u);
  EXPECT_EQ(load("i32.load", 0x2FFFC), 0u);  // the last word of linear memory
}

}  // namespace
}  // namespace wasmio
