#pragma once

#include <array>
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

/// Every kind, in declaration order: what a node hosts and provisions.
inline constexpr std::array<aggregate_kind, 4> all_aggregate_kinds{
  aggregate_kind::user, aggregate_kind::room, aggregate_kind::schedule,
  aggregate_kind::saga};

[[nodiscard]] std::string_view to_string(aggregate_kind kind);

[[nodiscard]] std::optional<aggregate_kind>
parse_aggregate_kind(std::string_view text);

} // namespace moim::events
