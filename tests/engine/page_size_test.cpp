// The custom-page-sizes proposal: decoding of limits flag bit 3 and the page-size exponent,
// validation (only 1 and 65536 bytes), memory.size/grow in the memory's own pages, bounds at
// 16 KiB, import matching on the page size, and the instance's byte limit.
//
// wabt 1.0.32 cannot write page sizes, so modules come from wat2wasm with an ordinary memory
// whose section is then replaced by hand-encoded bytes.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/leb_writer.h"
#include "exec/runtime.h"
#include "runtime_test_support.h"
#include "wasmio/engine.h"

namespace wasmio {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A memory section payload with one memory: `flags`, min, [max], [page-size log2].
Bytes memory_payload(std::uint8_t flags, std::uint64_t min, std::uint64_t max,
                     std::uint64_t log2) {
  Bytes p{1, flags};
  detail::append_uleb128(p, min);
  if (flags & 1) detail::append_uleb128(p, max);
  if (flags & 8) detail::append_uleb128(p, log2);
  return p;
}

// `module` with its section `id` (which must exist) replaced by `payload`.
Bytes replace_section(const Bytes& module, std::uint8_t id, const Bytes& payload) {
  Bytes out(module.begin(), module.begin() + 8);
  std::size_t pos = 8;
  bool replaced = false;
  while (pos < module.size()) {
    const std::uint8_t section_id = module[pos];
    std::size_t p = pos + 1;
    std::uint64_t size = 0;
    for (unsigned shift = 0;; shift += 7) {
      const std::uint8_t b = module[p++];
      size |= std::uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) break;
    }
    const std::size_t end = p + size;
    if (section_id == id) {
      out.push_back(id);
      detail::append_uleb128(out, payload.size());
      out.insert(out.end(), payload.begin(), payload.end());
      replaced = true;
    } else {
      out.insert(out.end(), module.begin() + pos, module.begin() + end);
    }
    pos = end;
  }
  EXPECT_TRUE(replaced) << "no section " << int{id};
  return out;
}

// size, grow, load8_u and store8 of memory 0; the data segment ends at byte 16384.
constexpr const char* kMemoryFunctions = R"((module
  (memory (export "mem") 1)
  (func (export "size") (result i32) memory.size)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (data (i32.const 16383) "\2a")))";

Bytes module_with_memory(const Bytes& memory_section) {
  const Bytes base = runtime_test::wat_to_wasm(kMemoryFunctions);
  if (base.empty()) return {};
  return replace_section(base, 5, memory_section);
}

Expected<std::unique_ptr<Module>> load(const Bytes& bytes) {
  return Module::load(bytes);
}

// ------------------------------------------------------------------------------------------
// Decoding and validation

TEST(PageSizeDecode, ExponentZeroAndSixteenAreAccepted) {
  for (std::uint64_t log2 : {0u, 16u}) {
    auto module = load(module_with_memory(memory_payload(0x09, 16384, 16384, log2)));
    ASSERT_TRUE(module) << log2 << ": " << module.error().message();
  }
  // Flag bit 3 without a maximum.
  auto module = load(module_with_memory(memory_payload(0x08, 1, 0, 0)));
  ASSERT_TRUE(module) << module.error().message();
}

TEST(PageSizeDecode, ExponentAboveSixteenIsMalformed) {
  for (std::uint64_t log2 : {17u, 65u, 0xFFFFFFFFu}) {
    auto module = load(module_with_memory(memory_payload(0x08, 0, 0, log2)));
    ASSERT_FALSE(module) << log2;
    EXPECT_EQ(module.error().code, ErrorCode::kMalformedPageSize) << log2;
    EXPECT_EQ(module.error().phase(), Phase::kDecode);
    EXPECT_STREQ(module.error().message(), "invalid custom page size");
  }
}

TEST(PageSizeDecode, ExponentBeyondU32IsMalformedLeb) {
  // 2^32 as a u32 LEB: five bytes, the last with bits beyond 32.
  Bytes p{1, 0x08, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10};
  auto module = load(module_with_memory(p));
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code, ErrorCode::kIntegerTooLarge);
}

TEST(PageSizeDecode, MissingExponentIsAnOverrun) {
  Bytes p{1, 0x08, 0x00};  // flag says an exponent follows; the section ends
  auto module = load(module_with_memory(p));
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().phase(), Phase::kDecode);
}

TEST(PageSizeDecode, OtherFlagBitsStayMalformed) {
  for (std::uint8_t flags : {0x02, 0x04, 0x10, 0x0A}) {
    auto module = load(module_with_memory(memory_payload(flags, 0, 0, 0)));
    ASSERT_FALSE(module) << int{flags};
    EXPECT_EQ(module.error().code, ErrorCode::kIntegerTooLarge) << int{flags};
  }
}

TEST(PageSizeDecode, TablesTakeNoPageSize) {
  const Bytes base = runtime_test::wat_to_wasm("(module (table 1 funcref))");
  ASSERT_FALSE(base.empty());
  auto module = load(replace_section(base, 4, Bytes{1, 0x70, 0x08, 0x01, 0x00}));
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code, ErrorCode::kIntegerTooLarge);
}

TEST(PageSizeValidate, OnlyOneByteAndSixtyFourKiBPagesAreValid) {
  for (std::uint64_t log2 = 1; log2 < 16; ++log2) {
    auto module = load(module_with_memory(memory_payload(0x08, 0, 0, log2)));
    ASSERT_FALSE(module) << log2;
    EXPECT_EQ(module.error().code, ErrorCode::kInvalidPageSize) << log2;
    EXPECT_EQ(module.error().phase(), Phase::kValidate);
  }
}

TEST(PageSizeValidate, OneBytePagesAllowTheWholeU32Range) {
  // 65537 pages are too many 64 KiB pages but fine as bytes.
  auto bytes_module = load(module_with_memory(memory_payload(0x09, 0, 0xFFFFFFFF, 0)));
  EXPECT_TRUE(bytes_module) << bytes_module.error().message();
  auto big_pages = load(module_with_memory(memory_payload(0x09, 0, 65537, 16)));
  ASSERT_FALSE(big_pages);
  EXPECT_EQ(big_pages.error().code, ErrorCode::kMemorySizeTooLarge);
  auto min_over_max = load(module_with_memory(memory_payload(0x09, 3, 2, 0)));
  ASSERT_FALSE(min_over_max);
  EXPECT_EQ(min_over_max.error().code, ErrorCode::kLimitsMinGreaterThanMax);
}

TEST(PageSizeValidate, ImportedMemoryPageSizeIsChecked) {
  const Bytes base = runtime_test::wat_to_wasm(R"((module (import "env" "m" (memory 1))))");
  ASSERT_FALSE(base.empty());
  // The import section with the memory's type bytes rewritten: 01 "env" "m" 02 <memtype>.
  auto import_section = [](const Bytes& memtype) {
    Bytes p{1, 3, 'e', 'n', 'v', 1, 'm', 2};
    for (std::uint8_t b : memtype) p.push_back(b);  // (insert trips a GCC 12 false warning)
    return p;
  };
  auto ok = load(replace_section(base, 2, import_section({0x08, 0x10, 0x00})));
  EXPECT_TRUE(ok) << ok.error().message();
  auto invalid = load(replace_section(base, 2, import_section({0x08, 0x10, 0x04})));
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidPageSize);
  auto malformed = load(replace_section(base, 2, import_section({0x08, 0x10, 0x11})));
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, ErrorCode::kMalformedPageSize);
}

// ------------------------------------------------------------------------------------------
// Running

class PageSizeRun : public ::testing::Test {
 protected:
  Expected<Instance*> instantiate(const Bytes& memory_section, InstanceOptions options = {}) {
    auto module = load(module_with_memory(memory_section));
    if (!module) return Unexpected{module.error()};
    modules_.push_back(std::move(*module));
    return store_.instantiate(*modules_.back(), {}, options);
  }
  // Calls export `name`; the i32 result, or the error code's negated value for a trap.
  std::int64_t call(Instance* instance, const char* name, std::vector<Value> args) {
    FunctionInstance* f = instance->exported_function(name);
    EXPECT_NE(f, nullptr) << name;
    if (f == nullptr) return -1000;
    auto state = execution_.invoke(f, args);
    if (!state) return -static_cast<std::int64_t>(state.error().code) - 1;
    if (execution_.results().empty()) return 0;
    return execution_.results()[0].of.i32;
  }
  static std::int64_t trap(ErrorCode code) { return -static_cast<std::int64_t>(code) - 1; }

  Store store_;
  Execution execution_;
  std::vector<std::unique_ptr<Module>> modules_;
};

TEST_F(PageSizeRun, SixteenKiBOfOneBytePagesBoundsAccessAtTheLastByte) {
  auto instance = instantiate(memory_payload(0x09, 16384, 16384, 0));
  ASSERT_TRUE(instance) << instance.error().message();
  MemoryInstance* mem = (*instance)->memory(0);
  EXPECT_EQ(Store::memory_data(mem).size(), 16384u);
  EXPECT_EQ(Store::memory_pages(mem), 16384u);
  EXPECT_EQ(call(*instance, "size", {}), 16384);
  EXPECT_EQ(call(*instance, "load", {Value::i32(16383)}), 0x2a);  // the data segment's byte
  EXPECT_EQ(call(*instance, "store", {Value::i32(16383), Value::i32(7)}), 0);
  EXPECT_EQ(call(*instance, "load", {Value::i32(16383)}), 7);
  EXPECT_EQ(call(*instance, "load", {Value::i32(16384)}), trap(ErrorCode::kOutOfBoundsMemoryAccess));
  EXPECT_EQ(call(*instance, "store", {Value::i32(16384), Value::i32(1)}),
            trap(ErrorCode::kOutOfBoundsMemoryAccess));
  EXPECT_EQ(call(*instance, "grow", {Value::i32(1)}), -1 & 0xFFFFFFFF);  // max reached
}

TEST_F(PageSizeRun, GrowCountsOneBytePages) {
  auto instance = instantiate(memory_payload(0x09, 16384, 16400, 0));
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_EQ(call(*instance, "grow", {Value::i32(1)}), 16384);
  EXPECT_EQ(call(*instance, "size", {}), 16385);
  EXPECT_EQ(call(*instance, "load", {Value::i32(16384)}), 0);  // the new byte, zeroed
  EXPECT_EQ(call(*instance, "load", {Value::i32(16385)}), trap(ErrorCode::kOutOfBoundsMemoryAccess));
  EXPECT_EQ(call(*instance, "grow", {Value::i32(15)}), 16385);
  EXPECT_EQ(call(*instance, "size", {}), 16400);
  EXPECT_EQ(call(*instance, "grow", {Value::i32(1)}), 0xFFFFFFFF);
  EXPECT_EQ(call(*instance, "grow", {Value::i32(0)}), 16400);
  EXPECT_EQ(call(*instance, "store", {Value::i32(16399), Value::i32(9)}), 0);
  EXPECT_EQ(call(*instance, "load", {Value::i32(16383)}), 0x2a);  // survives the moves
}

TEST_F(PageSizeRun, SixtyFourKiBPagesUnchanged) {
  auto instance = instantiate(memory_payload(0x09, 1, 2, 16));
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_EQ(call(*instance, "size", {}), 1);
  EXPECT_EQ(call(*instance, "grow", {Value::i32(1)}), 1);
  EXPECT_EQ(Store::memory_data((*instance)->memory(0)).size(), 131072u);
}

TEST_F(PageSizeRun, ByteLimitCapsOneBytePages) {
  InstanceOptions mcu;
  mcu.limits.max_memory_bytes = 16388;
  // No declared maximum: growth stops at the instance's byte limit.
  auto instance = instantiate(memory_payload(0x08, 16384, 0, 0), mcu);
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_EQ((*instance)->memory(0)->max_pages, 16388u);
  EXPECT_EQ(call(*instance, "grow", {Value::i32(4)}), 16384);
  EXPECT_EQ(call(*instance, "grow", {Value::i32(1)}), 0xFFFFFFFF);
  EXPECT_EQ(call(*instance, "size", {}), 16388);
  // A minimum above the cap cannot instantiate.
  auto too_big = instantiate(memory_payload(0x08, 16389, 0, 0), mcu);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, ErrorCode::kMemoryLimitExceeded);
}

TEST_F(PageSizeRun, ByteLimitRefusesASixtyFourKiBPage) {
  InstanceOptions mcu;
  mcu.limits.max_memory_bytes = 16384;
  auto instance = instantiate(memory_payload(0x00, 1, 0, 0), mcu);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().code, ErrorCode::kMemoryLimitExceeded);
  // The lower of the two caps applies: one 64 KiB page allowed, and 100000 bytes.
  InstanceOptions both;
  both.limits.max_memory_pages = 1;
  both.limits.max_memory_bytes = 100000;
  auto bytes = instantiate(memory_payload(0x08, 16384, 0, 0), both);
  ASSERT_TRUE(bytes) << bytes.error().message();
  EXPECT_EQ((*bytes)->memory(0)->max_pages, 65536u);
}

// ------------------------------------------------------------------------------------------
// Import matching: page sizes must be equal; limits compare in pages.

TEST(PageSizeImport, PageSizesMustMatch) {
  Store store;
  MemoryType byte_pages{Limits{16384, 16384, true}, 0};
  MemoryInstance* small = *store.add_memory(byte_pages);
  MemoryInstance* big = *store.add_memory(MemoryType{Limits{1, 1, true}});
  EXPECT_EQ(Store::memory_pages(small), 16384u);

  const Bytes base = runtime_test::wat_to_wasm(R"((module (import "env" "m" (memory 1))))");
  ASSERT_FALSE(base.empty());
  auto with_import = [&](const Bytes& memtype) {
    Bytes p{1, 3, 'e', 'n', 'v', 1, 'm', 2};
    for (std::uint8_t b : memtype) p.push_back(b);  // (insert trips a GCC 12 false warning)
    auto module = Module::load(replace_section(base, 2, p));
    EXPECT_TRUE(module);
    return module ? std::move(*module) : nullptr;
  };
  auto wants_bytes = with_import({0x08, 0x80, 0x80, 0x01, 0x00});  // >= 16384 1-byte pages
  auto wants_too_many = with_import({0x08, 0x81, 0x80, 0x01, 0x00});  // >= 16385
  auto wants_64k = with_import({0x00, 0x01});
  ASSERT_TRUE(wants_bytes && wants_too_many && wants_64k);

  const Extern small_memory[] = {Extern::of(small)};
  const Extern big_memory[] = {Extern::of(big)};
  EXPECT_TRUE(store.instantiate(*wants_bytes, small_memory));
  auto r1 = store.instantiate(*wants_bytes, big_memory);  // 1 page of 64 KiB is not 16384 bytes
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, ErrorCode::kIncompatibleImportType);
  auto r2 = store.instantiate(*wants_64k, small_memory);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, ErrorCode::kIncompatibleImportType);
  auto r3 = store.instantiate(*wants_too_many, small_memory);
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().code, ErrorCode::kIncompatibleImportType);
  EXPECT_TRUE(store.instantiate(*wants_64k, big_memory));
}

TEST(PageSizeImport, AddMemoryRejectsAnInvalidPageSize) {
  Store store;
  auto memory = store.add_memory(MemoryType{Limits{1, 0, false}, 12});
  ASSERT_FALSE(memory);
  EXPECT_EQ(memory.error().code, ErrorCode::kInvalidPageSize);
}

}  // namespace
}  // namespace wasmio
