#pragma once

#include <utility>
#include <variant>

namespace moim::events {

/// A value or an error. C++17 has no std::expected, and caf::error carries a
/// one-byte code without room for the context a reader needs (topic,
/// partition, offset, operator's hint), hence this small type.
template<class T, class E>
class [[nodiscard]] expected {
public:
  expected(T value) : state_(std::in_place_index<0>, std::move(value)) {
    // nop
  }
  expected(E err) : state_(std::in_place_index<1>, std::move(err)) {
    // nop
  }

  [[nodiscard]] bool has_value() const noexcept {
    return state_.index() == 0;
  }
  explicit operator bool() const noexcept {
    return has_value();
  }

  [[nodiscard]] T& value() & {
    return std::get<0>(state_);
  }
  [[nodiscard]] const T& value() const& {
    return std::get<0>(state_);
  }
  [[nodiscard]] T&& value() && {
    return std::get<0>(std::move(state_));
  }
  T& operator*() & {
    return value();
  }
  const T& operator*() const& {
    return value();
  }
  T* operator->() {
    return &value();
  }
  const T* operator->() const {
    return &value();
  }

  [[nodiscard]] const E& err() const {
    return std::get<1>(state_);
  }

private:
  std::variant<T, E> state_;
};

} // namespace moim::events
