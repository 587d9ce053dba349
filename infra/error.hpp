#pragma once

#include "events/expected.hpp"

#include <string>

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

/// A value, or an error from an adapter.
template<class T>
using result = events::expected<T, error>;

} // namespace moim::infra
