// Expected<T>: a value or an Error. The engine builds without exceptions, so every fallible
// operation returns one of these. Modelled on std::expected (C++23), reduced to what we use.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "wasmio/error.h"

namespace wasmio {

// Wraps an Error to construct a failed Expected unambiguously (also for Expected<Error>-like T).
struct Unexpected {
  Error error;
};
inline Unexpected unexpected(Error e) noexcept { return Unexpected{e}; }
inline Unexpected unexpected(ErrorCode code, std::uint32_t offset = 0,
                             std::uint32_t index = Error::kNoIndex) noexcept {
  return Unexpected{make_error(code, offset, index)};
}

template <typename T>
class [[nodiscard]] Expected {
 public:
  using value_type = T;

  template <typename U = T, typename = std::enable_if_t<std::is_constructible_v<T, U&&>>>
  Expected(U&& value) : has_value_(true) {  // NOLINT(google-explicit-constructor)
    new (&value_) T(std::forward<U>(value));
  }
  Expected(Unexpected u) noexcept : has_value_(false) {  // NOLINT(google-explicit-constructor)
    error_ = u.error;
  }
  Expected(const Expected& other) : has_value_(other.has_value_) {
    if (has_value_) {
      new (&value_) T(other.value_);
    } else {
      error_ = other.error_;
    }
  }
  Expected(Expected&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : has_value_(other.has_value_) {
    if (has_value_) {
      new (&value_) T(std::move(other.value_));
    } else {
      error_ = other.error_;
    }
  }
  Expected& operator=(Expected other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    this->~Expected();
    new (this) Expected(std::move(other));
    return *this;
  }
  ~Expected() {
    if (has_value_) value_.~T();
  }

  bool has_value() const noexcept { return has_value_; }
  explicit operator bool() const noexcept { return has_value_; }

  T& value() & noexcept { return value_; }
  const T& value() const& noexcept { return value_; }
  T&& value() && noexcept { return std::move(value_); }
  T& operator*() & noexcept { return value_; }
  const T& operator*() const& noexcept { return value_; }
  T&& operator*() && noexcept { return std::move(value_); }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }

  const Error& error() const noexcept { return error_; }

 private:
  bool has_value_;
  union {
    T value_;
    Error error_;
  };
};

template <>
class [[nodiscard]] Expected<void> {
 public:
  using value_type = void;
  Expected() noexcept = default;
  Expected(Unexpected u) noexcept  // NOLINT(google-explicit-constructor)
      : has_value_(false), error_(u.error) {}

  bool has_value() const noexcept { return has_value_; }
  explicit operator bool() const noexcept { return has_value_; }
  const Error& error() const noexcept { return error_; }

 private:
  bool has_value_ = true;
  Error error_{};
};

// Propagate an error from an expression returning Expected<...>; evaluates to nothing.
#define WASMIO_TRY(expr)                                              \
  do {                                                                \
    auto wasmio_try_result_ = (expr);                                 \
    if (!wasmio_try_result_) return ::wasmio::Unexpected{wasmio_try_result_.error()}; \
  } while (false)

// Declare `auto name` holding the value of an Expected<...> expression, or propagate its error.
#define WASMIO_TRY_ASSIGN(name, expr)                                               \
  auto name##_expected_ = (expr);                                                   \
  if (!name##_expected_) return ::wasmio::Unexpected{name##_expected_.error()};     \
  auto name = std::move(*name##_expected_)

}  // namespace wasmio
