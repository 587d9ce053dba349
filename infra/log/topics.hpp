#pragma once

#include "events/aggregate_kind.hpp"

#include <map>
#include <string>

namespace moim::infra {

/// The topic of each aggregate kind: moim.users, moim.rooms,
/// moim.schedules, moim.sagas.
[[nodiscard]] std::string topic_of(events::aggregate_kind kind);

/// Every topic Moim writes, each with `partitions` partitions.
[[nodiscard]] std::map<std::string, int> moim_topics(int partitions);

} // namespace moim::infra
