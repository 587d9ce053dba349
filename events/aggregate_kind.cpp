#include "events/aggregate_kind.hpp"

namespace moim::events {

std::string_view to_string(aggregate_kind kind) {
  switch (kind) {
    case aggregate_kind::user: return "user";
    case aggregate_kind::room: return "room";
    case aggregate_kind::schedule: return "schedule";
    case aggregate_kind::saga: return "saga";
  }
  return "unknown";
}

std::optional<aggregate_kind> parse_aggregate_kind(std::string_view text) {
  for (auto kind : all_aggregate_kinds)
    if (to_string(kind) == text)
      return kind;
  return std::nullopt;
}

} // namespace moim::events
