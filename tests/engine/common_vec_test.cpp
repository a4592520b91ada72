// Vec<T> (common/vec.h): std::vector's semantics for the subset the engine uses, with one
// relocation routine for trivially copyable elements and typed moves for the others.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/hook_allocator.h"
#include "wasmio/allocator.h"

namespace wasmio::detail {
namespace {

// An element with its own move constructor (like the engine's segments holding a Vec), which
// counts live objects so leaks and double destruction show up.
struct Tracked {
  static inline int live = 0;
  Vec<std::uint32_t> payload;
  int id = 0;

  Tracked() { ++live; }
  explicit Tracked(int i) : id(i) {
    ++live;
    payload.push_back(static_cast<std::uint32_t>(i));
  }
  Tracked(const Tracked& o) : payload(o.payload), id(o.id) { ++live; }
  Tracked(Tracked&& o) noexcept : payload(static_cast<Vec<std::uint32_t>&&>(o.payload)), id(o.id) {
    ++live;
  }
  Tracked& operator=(const Tracked&) = default;
  Tracked& operator=(Tracked&&) noexcept = default;
  ~Tracked() { --live; }
};

std::vector<int> ids(const Vec<Tracked>& v) {
  std::vector<int> out;
  for (const Tracked& t : v) out.push_back(t.id);
  return out;
}

TEST(CommonVec, PushGrowsByDoublingAndReserveIsExact) {
  Vec<std::uint32_t> v;
  EXPECT_TRUE(v.empty());
  std::vector<std::size_t> capacities;
  for (std::uint32_t i = 0; i < 9; ++i) {
    v.push_back(i * 3);
    capacities.push_back(v.capacity());
  }
  EXPECT_EQ(capacities, (std::vector<std::size_t>{1, 2, 4, 4, 8, 8, 8, 8, 16}));
  for (std::uint32_t i = 0; i < 9; ++i) EXPECT_EQ(v[i], i * 3);
  v.reserve(100);
  EXPECT_EQ(v.capacity(), 100u);
  EXPECT_EQ(v.back(), 24u);
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 9u);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 0u);
  EXPECT_EQ(v.data(), nullptr);
}

TEST(CommonVec, PushOfItsOwnElementSurvivesTheMove) {
  Vec<std::uint64_t> v{7};
  for (int i = 0; i < 10; ++i) v.push_back(v.back() + 1);  // back() lives in the old block
  EXPECT_EQ(v.size(), 11u);
  EXPECT_EQ(v.back(), 17u);
  Vec<Tracked> t;
  t.emplace_back(1);
  t.push_back(t[0]);  // capacity 1 -> 2 while copying element 0
  EXPECT_EQ(ids(t), (std::vector<int>{1, 1}));
  EXPECT_EQ(t[1].payload.size(), 1u);
  t.resize(5, t[0]);
  EXPECT_EQ(ids(t), (std::vector<int>{1, 1, 1, 1, 1}));
}

TEST(CommonVec, InsertAndEraseKeepOrder) {
  Vec<int> v{1, 2, 6};
  const int middle[] = {3, 4, 5};
  v.insert(v.begin() + 2, middle, middle + 3);
  v.insert(v.end(), 7);
  v.insert(v.begin(), 2, 0);
  EXPECT_EQ(std::vector<int>(v.begin(), v.end()), (std::vector<int>{0, 0, 1, 2, 3, 4, 5, 6, 7}));
  v.erase(v.begin(), v.begin() + 2);
  v.erase(v.begin() + 3);
  EXPECT_EQ(std::vector<int>(v.begin(), v.end()), (std::vector<int>{1, 2, 3, 5, 6, 7}));
  v.assign(3, 9);
  EXPECT_EQ(std::vector<int>(v.begin(), v.end()), (std::vector<int>{9, 9, 9}));
}

TEST(CommonVec, NonTrivialElementsAreMovedAndDestroyedOnce) {
  Tracked::live = 0;
  {
    Vec<Tracked> v;
    for (int i = 0; i < 20; ++i) v.emplace_back(i);  // several typed relocations
    EXPECT_EQ(Tracked::live, 20);
    for (int i = 0; i < 20; ++i) {
      ASSERT_EQ(v[i].id, i);
      ASSERT_EQ(v[i].payload.size(), 1u);
      EXPECT_EQ(v[i].payload[0], static_cast<std::uint32_t>(i));
    }
    v.erase(v.begin() + 5, v.begin() + 15);
    EXPECT_EQ(Tracked::live, 10);
    EXPECT_EQ(v[5].id, 15);
    Vec<Tracked> copy = v;
    EXPECT_EQ(Tracked::live, 20);
    Vec<Tracked> moved = static_cast<Vec<Tracked>&&>(copy);
    EXPECT_TRUE(copy.empty());
    EXPECT_EQ(Tracked::live, 20);
    moved.pop_back();
    moved.resize(3);
    EXPECT_EQ(Tracked::live, 13);
    v.swap(moved);
    EXPECT_EQ(v.size(), 3u);
    EXPECT_EQ(moved.size(), 10u);
  }
  EXPECT_EQ(Tracked::live, 0);
}

TEST(CommonVec, EveryByteGoesBackToTheHook) {
  const std::size_t before = allocated_bytes();
  {
    Vec<Vec<std::uint8_t>> nested;
    for (int i = 0; i < 50; ++i) {
      nested.emplace_back(static_cast<std::size_t>(i), static_cast<std::uint8_t>(i));
    }
    Vec<Vec<std::uint8_t>> other;
    other = nested;
    other = static_cast<Vec<Vec<std::uint8_t>>&&>(nested);
    EXPECT_GT(allocated_bytes(), before);
    EXPECT_EQ(other[49].size(), 49u);
    EXPECT_EQ(other[49][48], 49);
  }
  EXPECT_EQ(allocated_bytes(), before);
}

}  // namespace
}  // namespace wasmio::detail
