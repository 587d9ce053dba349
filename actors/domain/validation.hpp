#pragma once

#include "actors/domain/rejection.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace moim::actors {

/// The longest client message id, in bytes, on every transport (REST and
/// WebSocket): the room decides, the gateway's frame parser only bounds.
inline constexpr std::size_t max_client_message_id_bytes = 200;

/// An `invalid` rejection when `value` is shorter than `min` or longer than
/// `max` bytes, not valid UTF-8, or holds a control character other than
/// tab, line feed and carriage return (NUL included).
[[nodiscard]] std::optional<rejection> check_text(const char* field,
                                                  const std::string& value,
                                                  std::size_t min,
                                                  std::size_t max);

/// An `invalid` rejection unless `value` is an RFC 3339 date-time with an
/// offset, e.g. "2027-01-02T07:00:00+09:00" or "2027-01-01T22:00:00.5Z".
[[nodiscard]] std::optional<rejection>
check_timestamp(const char* field, const std::string& value);

} // namespace moim::actors
