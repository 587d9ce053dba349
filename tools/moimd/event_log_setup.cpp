#include "tools/moimd/event_log_setup.hpp"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/topics.hpp"

#include <spdlog/spdlog.h>

namespace moim::moimd {

infra::result<std::unique_ptr<infra::event_log>>
open_event_log(const infra::settings& cfg) {
  infra::group_commit_options commit;
  commit.linger = std::chrono::microseconds{cfg.eventlog.linger_us};
  commit.max_events = static_cast<std::size_t>(cfg.eventlog.max_batch_events);
  auto topics = infra::moim_topics(cfg.kafka_topics.partitions);
  if (!cfg.kafka.url.empty()) {
    infra::kafka_log_options options;
    options.brokers = cfg.kafka.url;
    options.topics = topics;
    options.replication_factor = cfg.kafka_topics.replication_factor;
    options.transactional_id_prefix = cfg.kafka_topics.transactional_id_prefix;
    options.commit = commit;
    auto log = infra::kafka_log::open(options);
    if (!log)
      return log.err();
    spdlog::info("event log: Kafka at {}, {} partitions per topic, "
                 "replication factor {}",
                 cfg.kafka.url, cfg.kafka_topics.partitions,
                 (*log)->replication_factor());
    return std::unique_ptr<infra::event_log>{std::move(*log)};
  }
  infra::embedded_log_options options;
  options.path = cfg.eventlog.path;
  options.topics = topics;
  options.commit = commit;
  auto log = infra::embedded_log::open(options);
  if (!log)
    return log.err();
  spdlog::info("event log: embedded (RocksDB) at {}", cfg.eventlog.path);
  return std::unique_ptr<infra::event_log>{std::move(*log)};
}

std::string instance_id(const infra::settings& cfg) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0)
    std::snprintf(host, sizeof(host), "moimd");
  auto path = std::filesystem::absolute(cfg.hosting.state_path).string();
  return std::string{host} + ":" + path;
}

} // namespace moim::moimd
