// Internal: Vec<T>, the engine's growable array, taking its memory from the embedder's hook.
//
// std::vector would do, but every element type instantiates its own reallocation, insertion and
// fill code (about 12 KB of the Cortex-M3 image for the engine's ~45 element types). Here the
// allocation and relocation live once in VecCore (vec.cpp); trivially copyable elements move with
// memcpy, and only the few element types with their own move constructor (those holding a Vec)
// get a typed relocation function. The interface is the subset of std::vector the engine uses,
// with the same semantics (growth by doubling, reserve allocates exactly, iterators are
// pointers); allocation failure ends in out_of_host_memory() like the allocator it replaces.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <new>
#include <type_traits>
#include <utility>

namespace wasmio::detail {

// The untyped part: a block of `capacity_` elements of which `size_` are constructed.
class VecCore {
 protected:
  // Moves `n` elements from `from` to `to` (uninitialised) and destroys them at `from`.
  using Relocate = void (*)(void* to, void* from, std::size_t n) noexcept;

  VecCore() noexcept = default;
  // Reallocates to exactly `capacity` elements (>= size_), moving the elements over.
  void reallocate(std::size_t capacity, std::size_t element_size, std::size_t align,
                  Relocate relocate) noexcept;
  // Room for one more element: doubles the capacity (at least 1), as std::vector does.
  void grow_for_one(std::size_t element_size, std::size_t align, Relocate relocate) noexcept;
  // Frees the block (the elements must be destroyed already).
  void release(std::size_t element_size, std::size_t align) noexcept;
  void take(VecCore& other) noexcept {
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = nullptr;
    other.size_ = 0;
    other.capacity_ = 0;
  }

  void* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

template <typename T>
class Vec : private VecCore {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;

  Vec() noexcept = default;
  explicit Vec(size_type n) { resize(n); }
  Vec(size_type n, const T& value) { assign(n, value); }
  Vec(std::initializer_list<T> init) { assign(init.begin(), init.end()); }
  template <typename It, typename = std::enable_if_t<!std::is_integral_v<It>>>
  Vec(It first, It last) {
    assign(first, last);
  }
  Vec(const Vec& other) { assign(other.begin(), other.end()); }
  Vec(Vec&& other) noexcept { take(other); }
  Vec& operator=(const Vec& other) {
    if (this != &other) assign(other.begin(), other.end());
    return *this;
  }
  Vec& operator=(Vec&& other) noexcept {
    if (this != &other) {
      destroy_from(0);
      release(sizeof(T), alignof(T));
      take(other);
    }
    return *this;
  }
  ~Vec() {
    destroy_from(0);
    release(sizeof(T), alignof(T));
  }

  size_type size() const noexcept { return size_; }
  size_type capacity() const noexcept { return capacity_; }
  static constexpr size_type max_size() noexcept { return SIZE_MAX / sizeof(T); }
  bool empty() const noexcept { return size_ == 0; }
  T* data() noexcept { return static_cast<T*>(data_); }
  const T* data() const noexcept { return static_cast<const T*>(data_); }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size_; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size_; }
  const T* cbegin() const noexcept { return data(); }
  const T* cend() const noexcept { return data() + size_; }
  T& operator[](size_type i) noexcept { return data()[i]; }
  const T& operator[](size_type i) const noexcept { return data()[i]; }
  T& front() noexcept { return data()[0]; }
  const T& front() const noexcept { return data()[0]; }
  T& back() noexcept { return data()[size_ - 1]; }
  const T& back() const noexcept { return data()[size_ - 1]; }

  void reserve(size_type n) {
    if (n > capacity_) reallocate(n, sizeof(T), alignof(T), relocator());
  }
  void shrink_to_fit() {
    if (size_ < capacity_) reallocate(size_, sizeof(T), alignof(T), relocator());
  }
  void clear() noexcept { destroy_from(0); }

  void push_back(const T& value) { emplace_back(value); }
  void push_back(T&& value) { emplace_back(static_cast<T&&>(value)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) return emplace_back_growing(static_cast<Args&&>(args)...);
    ::new (static_cast<void*>(end())) T(static_cast<Args&&>(args)...);
    ++size_;
    return back();
  }
  void pop_back() noexcept {
    --size_;
    end()->~T();
  }

  void resize(size_type n) {
    if (n > size_) {
      reserve(n);
      for (T* p = end(); size_ < n; ++p, ++size_) ::new (static_cast<void*>(p)) T();
    } else {
      destroy_from(n);
    }
  }
  void resize(size_type n, const T& value) {
    if (n > size_) {
      const T copy(value);  // `value` may be an element
      reserve(n);
      for (T* p = end(); size_ < n; ++p, ++size_) ::new (static_cast<void*>(p)) T(copy);
    } else {
      destroy_from(n);
    }
  }
  void assign(size_type n, const T& value) {
    const T copy(value);
    clear();
    resize(n, copy);
  }
  // [first, last) must not lie inside this Vec.
  template <typename It, typename = std::enable_if_t<!std::is_integral_v<It>>>
  void assign(It first, It last) {
    clear();
    append(first, last);
  }

  // [first, last) must not lie inside this Vec.
  template <typename It, typename = std::enable_if_t<!std::is_integral_v<It>>>
  T* insert(const T* position, It first, It last) {
    const size_type at = static_cast<size_type>(position - begin());
    const size_type old_size = size_;
    append(first, last);
    rotate_tail(at, old_size);
    return begin() + at;
  }
  T* insert(const T* position, const T& value) {
    const size_type at = static_cast<size_type>(position - begin());
    const size_type old_size = size_;
    emplace_back(value);
    rotate_tail(at, old_size);
    return begin() + at;
  }
  T* insert(const T* position, size_type n, const T& value) {
    const size_type at = static_cast<size_type>(position - begin());
    const size_type old_size = size_;
    resize(size_ + n, value);
    rotate_tail(at, old_size);
    return begin() + at;
  }
  T* erase(const T* first, const T* last) {
    T* to = begin() + (first - begin());
    const size_type count = static_cast<size_type>(last - first);
    if (count != 0) {
      for (T* from = to + count; from != end(); ++from, ++to) *to = static_cast<T&&>(*from);
      destroy_from(size_ - count);
    }
    return begin() + (first - cbegin());
  }
  T* erase(const T* position) { return erase(position, position + 1); }

  void swap(Vec& other) noexcept {
    Vec tmp(static_cast<Vec&&>(other));
    other = static_cast<Vec&&>(*this);
    *this = static_cast<Vec&&>(tmp);
  }

 private:
  static constexpr Relocate relocator() noexcept {
    if constexpr (std::is_trivially_copyable_v<T>) {
      return nullptr;  // memcpy
    } else {
      return [](void* to, void* from, std::size_t n) noexcept {
        T* src = static_cast<T*>(from);
        T* dst = static_cast<T*>(to);
        for (std::size_t i = 0; i < n; ++i) {
          ::new (static_cast<void*>(dst + i)) T(static_cast<T&&>(src[i]));
          src[i].~T();
        }
      };
    }
  }
  // Out of line: the temporary stays out of the callers' stack frames (interrupt handlers on an
  // MCU run on small stacks).
  template <typename... Args>
  [[gnu::noinline]] T& emplace_back_growing(Args&&... args) {
    // The arguments may refer to an element: build the new one before the block moves.
    T element(static_cast<Args&&>(args)...);
    grow_for_one(sizeof(T), alignof(T), relocator());
    ::new (static_cast<void*>(end())) T(static_cast<T&&>(element));
    ++size_;
    return back();
  }
  void destroy_from(size_type n) noexcept {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      for (T* p = begin() + n; p != end(); ++p) p->~T();
    }
    size_ = n;
  }
  template <typename It>
  void append(It first, It last) {
    if constexpr (std::is_base_of_v<std::forward_iterator_tag,
                                    typename std::iterator_traits<It>::iterator_category>) {
      reserve(size_ + static_cast<size_type>(std::distance(first, last)));
    }
    for (; first != last; ++first) emplace_back(*first);
  }
  // Moves the elements [old_size, size_) to position `at` (the ones there shift up).
  void rotate_tail(size_type at, size_type old_size) {
    std::rotate(begin() + at, begin() + old_size, end());
  }
};

}  // namespace wasmio::detail
