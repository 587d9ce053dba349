#include "infra/log/event_log_config.hpp"

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/topics.hpp"

#include <spdlog/spdlog.h>

namespace moim::infra {

config_keys<event_log_config> kafka_keys() {
  using config = event_log_config;
  auto keys = nest<config>(
    dependency_keys("kafka", "brokers",
                    "Kafka bootstrap brokers, host:port[,host:port]"),
    &config::kafka);
  keys.push_back(integer<config>("partitions",
                                 "partitions of each topic Moim creates",
                                 &config::partitions, 1, 10000));
  keys.push_back(integer<config>("replication_factor",
                                 "replication factor of the topics Moim "
                                 "creates (clamped to the brokers)",
                                 &config::replication_factor, 1, 16));
  keys.push_back(
    text<config>("transactional_id_prefix",
                 "prefix of every transactional.id Moim's producers use",
                 &config::transactional_id_prefix));
  keys.push_back(integer<config>(
    "producers",
    "transactional producers through which a node writes all the "
    "partitions it hosts (each transaction spans partitions)",
    &config::producers, 1, 64));
  return keys;
}

config_keys<event_log_config> eventlog_keys() {
  using config = event_log_config;
  return {
    text<config>("path", "folder of the embedded event log (no Kafka brokers)",
                 &config::path),
    integer<config>(
      "linger_us",
      "how long a group commit waits for more appends, at least (on Kafka "
      "also a pause between transactions)",
      [](auto& c) -> auto& { return c.commit.linger; }, 0, 1000000),
    integer<config>(
      "linger_per_event_us",
      "under load the wait grows by this much per event of the last group "
      "commit",
      [](auto& c) -> auto& { return c.commit.linger_per_event; }, 0, 100000),
    integer<config>(
      "linger_most_us", "the longest a group commit waits for more appends",
      [](auto& c) -> auto& { return c.commit.linger_most; }, 0, 1000000),
    integer<config>(
      "max_batch_events", "most events in one group commit",
      [](auto& c) -> auto& { return c.commit.max_events; }, 1, 1000000),
  };
}

result<std::unique_ptr<event_log>>
open_event_log(const event_log_config& config, metrics_registry* metrics) {
  auto topics = moim_topics(config.partitions);
  auto commit = config.commit;
  if (metrics) {
    commit.metrics = group_commit_metrics::make();
    commit.metrics->add_to(*metrics,
                           config.kafka.url.empty() ? "embedded" : "kafka");
  }
  if (!config.kafka.url.empty()) {
    kafka_log_options options;
    options.brokers = config.kafka.url;
    options.topics = topics;
    options.replication_factor = config.replication_factor;
    options.transactional_id_prefix = config.transactional_id_prefix;
    options.commit = commit;
    options.member_producers = config.producers;
    auto log = kafka_log::open(options);
    if (!log)
      return log.err();
    spdlog::info("event log: Kafka at {}, {} partitions per topic, "
                 "replication factor {}",
                 config.kafka.url, config.partitions,
                 (*log)->replication_factor());
    return std::unique_ptr<event_log>{std::move(*log)};
  }
  embedded_log_options options;
  options.path = config.path;
  options.topics = topics;
  options.commit = commit;
  auto log = embedded_log::open(options);
  if (!log)
    return log.err();
  spdlog::info("event log: embedded (RocksDB) at {}", config.path);
  return std::unique_ptr<event_log>{std::move(*log)};
}

} // namespace moim::infra
