#pragma once

#include "actors/domain/rejection.hpp"

#include <optional>
#include <string>

namespace moim::actors {

/// An `invalid` rejection when `value` is shorter than `min` or longer than
/// `max` bytes, or not valid UTF-8.
[[nodiscard]] std::optional<rejection> check_text(const char* field,
                                                  const std::string& value,
                                                  std::size_t min,
                                                  std::size_t max);

} // namespace moim::actors
