#pragma once

#include "infra/log/kafka/kafka_handle.hpp"
#include "infra/log/kafka/kafka_log.hpp"

#include <mutex>
#include <optional>
#include <utility>

namespace moim::infra {

/// Internal state of kafka_log.
struct kafka_log::impl {
  kafka_log_options options;
  int replication_factor = 1;
  std::map<std::string, int> partitions; ///< as the cluster reports them
  std::vector<std::string> warnings;

  std::mutex reader_mtx; ///< one reader consumer, reassigned per read
  kafka_handle reader;
  /// Where the reader stands when the last read stopped at its `max`: a
  /// read that goes on from there keeps the assignment and what the
  /// consumer fetched ahead, instead of fetching it all again.
  std::optional<std::pair<topic_partition, events::log_offset>> cursor;
};

/// Creates the topics of `d.options` that are missing and learns every
/// topic's partition count; clamps the replication factor to the brokers.
[[nodiscard]] std::optional<error> provision_topics(kafka_log::impl& d,
                                                    rd_kafka_t* admin);

} // namespace moim::infra
