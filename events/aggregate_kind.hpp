#pragma once

#include <optional>
#include <string_view>

namespace moim::events {

/// The kinds of aggregates; each has a topic of its own in the log.
enum class aggregate_kind {
  user,
  room,
  schedule,
  saga,
};

[[nodiscard]] std::string_view to_string(aggregate_kind kind);

[[nodiscard]] std::optional<aggregate_kind>
parse_aggregate_kind(std::string_view text);

} // namespace moim::events
