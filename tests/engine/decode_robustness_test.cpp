// Hostile input: truncations, byte mutations and huge declared counts must give errors (never
// crashes, hangs or allocations out of proportion to the input).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "decode_test_support.h"
#include "wasmio/allocator.h"

namespace wasmio {
namespace {

using front_test::Bytes;

// Routes engine allocations to malloc and records the peak number of bytes held.
class PeakAllocator {
 public:
  PeakAllocator() {
    AllocatorHooks hooks;
    hooks.allocate = [](std::size_t size, std::size_t align, void* context) -> void* {
      auto* self = static_cast<PeakAllocator*>(context);
      void* p = std::aligned_alloc(align, (size + align - 1) / align * align);
      if (p != nullptr) {
        self->current_ += size;
        if (self->current_ > self->peak_) self->peak_ = self->current_;
      }
      return p;
    };
    hooks.deallocate = [](void* pointer, std::size_t size, std::size_t, void* context) {
      static_cast<PeakAllocator*>(context)->current_ -= size;
      std::free(pointer);
    };
    hooks.context = this;
    set_allocator(hooks);
  }
  ~PeakAllocator() { set_allocator(AllocatorHooks{}); }
  std::size_t peak() const { return peak_; }
  void reset_peak() { peak_ = current_; }

 private:
  std::size_t current_ = 0;
  std::size_t peak_ = 0;
};

const char* const kSample = R"(
  (module
    (type $pair (func (param i32) (result i32 i64)))
    (import "env" "log" (func $log (param i32)))
    (import "env" "g" (global i32))
    (memory 1 4)
    (table 4 funcref)
    (global $counter (mut i64) (i64.const 0))
    (elem (i32.const 0) $a $b)
    (elem declare func $log)
    (data (i32.const 16) "hello")
    (data "passive")
    (func $a (param i32) (result i32)
      (local i64 f32)
      (block $out (result i32)
        (loop $top
          (br_if $out (i32.eqz (local.get 0)) (i32.const 9))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_table $top $top (local.get 0)))
        (i32.const 0)))
    (func $b (param i32) (result i32 i64)
      (call $log (i32.load8_u offset=16 (local.get 0)))
      (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 3))
      (data.drop 1)
      (drop (ref.func $log))
      (call_indirect (type $pair) (local.get 0) (i32.const 1)))
    (export "a" (func $a))
    (export "mem" (memory 0))
    (start $start)
    (func $start (global.set $counter (i64.const 3))))
)";

TEST(DecodeRobustness, SampleIsValid) {
  const Bytes bytes = front_test::wat(kSample);
  ASSERT_FALSE(bytes.empty());
  auto loaded = front_test::load(bytes);
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message());
}

TEST(DecodeRobustness, EveryTruncationIsRejected) {
  const Bytes bytes = front_test::wat(kSample);
  ASSERT_FALSE(bytes.empty());
  auto full = front_test::load(bytes);
  ASSERT_TRUE(full);
  // Only a prefix that ends between sections, before the function section (whose functions
  // would then lack bodies), is itself a valid module.
  std::vector<std::size_t> valid_prefixes{8};
  for (std::uint32_t i = 0; i < (*full)->section_count(); ++i) {
    const Module::SectionInfo s = (*full)->section(i);
    if (s.id == 3) break;
    valid_prefixes.push_back(s.offset + s.size);
  }
  int loaded_prefixes = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    auto loaded = front_test::load(prefix);
    const bool may_load =
        std::find(valid_prefixes.begin(), valid_prefixes.end(), n) != valid_prefixes.end();
    EXPECT_EQ(static_cast<bool>(loaded), may_load) << "prefix " << n;
    if (loaded) {
      ++loaded_prefixes;
      continue;
    }
    EXPECT_EQ(loaded.error().phase(), Phase::kDecode) << "prefix " << n;
    EXPECT_LE(loaded.error().offset, n) << "prefix " << n;
  }
  EXPECT_EQ(loaded_prefixes, static_cast<int>(valid_prefixes.size()));
}

TEST(DecodeRobustness, MutatedModulesNeverCrash) {
  const Bytes original = front_test::wat(kSample);
  ASSERT_FALSE(original.empty());
  std::uint64_t state = 0x9E3779B97F4A7C15ull;  // fixed seed: reproducible
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int rejected = 0, loaded_count = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    Bytes bytes = original;
    const int flips = 1 + static_cast<int>(next() % 4);
    for (int f = 0; f < flips; ++f) {
      const std::size_t at = 8 + next() % (bytes.size() - 8);
      bytes[at] = static_cast<std::uint8_t>(next());
    }
    auto loaded = front_test::load(bytes);
    if (loaded) {
      ++loaded_count;
    } else {
      ++rejected;
      ASSERT_LE(loaded.error().offset, bytes.size());
      ASSERT_TRUE(loaded.error().phase() == Phase::kDecode ||
                  loaded.error().phase() == Phase::kValidate);
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_EQ(rejected + loaded_count, 20000);
}

TEST(DecodeRobustness, HugeCountsDoNotAllocate) {
  using front_test::module;
  using front_test::section;
  const Bytes huge = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  auto with_count = [&](std::uint8_t id, Bytes tail) {
    Bytes payload = huge;
    payload.insert(payload.end(), tail.begin(), tail.end());
    return module({section(id, payload)});
  };
  PeakAllocator allocator;
  for (std::uint8_t id : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}) {
    allocator.reset_peak();
    const Bytes bytes = with_count(id, {0x00, 0x00, 0x00});
    auto loaded = front_test::load(bytes);
    EXPECT_FALSE(loaded) << "section " << int(id);
    // The Module object, its copy of the bytes and little else.
    EXPECT_LT(allocator.peak(), 4096u) << "section " << int(id);
  }
  // br_table with 2^32-1 targets in a tiny body.
  allocator.reset_peak();
  const Bytes br = module({section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}),
                           section(10, {0x01, 0x09, 0x00, 0x41, 0x00, 0x0E, 0xFF, 0xFF, 0xFF,
                                        0xFF, 0x0F})});
  EXPECT_FALSE(front_test::load(br));
  EXPECT_LT(allocator.peak(), 4096u);
}

}  // namespace
}  // namespace wasmio
