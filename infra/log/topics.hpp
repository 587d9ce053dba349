#pragma once

#include "events/aggregate_kind.hpp"

#include <map>
#include <string>

namespace moim::infra {

/// The topic of each aggregate kind: moim.users, moim.rooms,
/// moim.schedules, moim.sagas.
[[nodiscard]] std::string topic_of(events::aggregate_kind kind);

/// The dead-letter topic of a projection: moim.dlq.<projection>.
[[nodiscard]] std::string dead_letter_topic(const std::string& projection);

/// Every topic Moim writes: the aggregates' with `partitions` partitions,
/// and the dead-letter topic of each of moimd's projections (postgres,
/// search, redis) with one.
[[nodiscard]] std::map<std::string, int> moim_topics(int partitions);

} // namespace moim::infra
