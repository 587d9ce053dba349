#pragma once

#include "infra/config/config_key.hpp"
#include "infra/error.hpp"
#include "infra/health/health_config.hpp"
#include "infra/log/event_log.hpp"
#include "infra/log/group_commit.hpp"
#include "infra/metrics/registry.hpp"

#include <memory>
#include <string>

namespace moim::infra {

/// Which event log a node uses and how: Kafka when brokers are configured,
/// else the embedded (RocksDB) log in `path`.
struct event_log_config {
  dependency_options kafka;   ///< url: bootstrap brokers, host:port[,host:port]
  int partitions = 12;        ///< of each topic Moim creates
  int replication_factor = 3; ///< clamped to the broker count, with a warning
  std::string transactional_id_prefix = "moim";
  int producers = 1; ///< transactional producers per node (the write side)
  std::string path = "data/eventlog"; ///< the embedded log's folder
  /// A group commit waits 5 ms for company, and under load up to 25 ms
  /// (65 µs per event of the last group); why, and what it was measured
  /// to save: infra/README.md.
  group_commit_options commit{1000, std::chrono::microseconds{5000},
                              std::chrono::microseconds{65},
                              std::chrono::microseconds{25000}, nullptr};
};

/// moimd mounts them as `kafka.*`: brokers, required, partitions,
/// replication_factor, transactional_id_prefix, producers.
[[nodiscard]] config_keys<event_log_config> kafka_keys();

/// moimd mounts them as `eventlog.*`: path, linger_us, linger_per_event_us,
/// linger_most_us, max_batch_events.
[[nodiscard]] config_keys<event_log_config> eventlog_keys();

/// Opens the configured log (provisioning Kafka's topics); its group
/// commits are observed into `metrics` when given.
[[nodiscard]] result<std::unique_ptr<event_log>>
open_event_log(const event_log_config& config,
               metrics_registry* metrics = nullptr);

} // namespace moim::infra
