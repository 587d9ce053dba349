#pragma once

#include <string>
#include <utility>
#include <variant>

namespace moim::infra {

/// What went wrong at the edge to an outside system.
enum class errc {
  /// The peer did not answer in time; trying again may work.
  timeout,
  /// No connection could be made; trying again may work.
  unreachable,
  /// The peer answered with something we could not understand.
  protocol,
  /// The peer understood the request and refused it.
  rejected,
  /// The request or configuration is wrong; trying again will not help.
  invalid,
};

/// An error from an adapter: a code, whether a retry may help, and a message
/// written for the operator (what failed and, where known, how to fix it).
struct error {
  errc code;
  std::string message;

  [[nodiscard]] bool retryable() const noexcept {
    return code == errc::timeout || code == errc::unreachable;
  }
};

/// A value or an error. C++17 has no std::expected, and caf::error carries a
/// one-byte code without room for an operator's hint, hence this small type.
template<class T>
class [[nodiscard]] result {
public:
  result(T value) : state_(std::move(value)) {
    // nop
  }
  result(error err) : state_(std::move(err)) {
    // nop
  }

  [[nodiscard]] bool has_value() const noexcept {
    return state_.index() == 0;
  }
  explicit operator bool() const noexcept {
    return has_value();
  }

  [[nodiscard]] T& value() {
    return std::get<0>(state_);
  }
  [[nodiscard]] const T& value() const {
    return std::get<0>(state_);
  }
  T& operator*() {
    return value();
  }
  const T& operator*() const {
    return value();
  }
  T* operator->() {
    return &value();
  }
  const T* operator->() const {
    return &value();
  }

  [[nodiscard]] const error& err() const {
    return std::get<1>(state_);
  }

private:
  std::variant<T, error> state_;
};

} // namespace moim::infra
