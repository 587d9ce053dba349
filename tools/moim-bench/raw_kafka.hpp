#pragma once

#include "events/envelope.hpp"
#include "tools/moim-bench/latency.hpp"

#include <string>

namespace moim::bench {

struct raw_result {
  double events_per_second = 0;
  latency_recorder latency; ///< produce to commit, per message
  std::string error;
};

/// A plain librdkafka transactional producer writing `events` copies of
/// `sample` (same key, headers and value bytes) to partition 0 of `topic`,
/// `per_txn` messages per transaction: the baseline for the Kafka log.
[[nodiscard]] raw_result run_raw_kafka(const std::string& brokers,
                                       const std::string& topic,
                                       const events::event_envelope& sample,
                                       std::size_t events, std::size_t per_txn);

} // namespace moim::bench
