#pragma once

#include "infra/log/event_log.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace moim::projections {

/// A place in the log a client can hold on to: "<topic>:<partition>:<offset>",
/// e.g. "moim.rooms:3:1207". Command responses carry the one they were
/// written at; a query given it back waits until its read model has applied
/// it (read-your-writes). Kafka topic names cannot hold ':'.
struct log_point {
  infra::topic_partition where;
  events::log_offset offset;
};

[[nodiscard]] std::string format_point(const log_point& p);

/// Where a command's events went, as a client holds it: the position a
/// write came back with, in the topic of its aggregate kind.
[[nodiscard]] std::string format_point(events::aggregate_kind kind,
                                       const events::log_position& p);

/// The point in `text`, or nothing when it is not one.
[[nodiscard]] std::optional<log_point> parse_point(std::string_view text);

} // namespace moim::projections
