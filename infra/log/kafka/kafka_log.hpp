#pragma once

#include "infra/log/event_log.hpp"
#include "infra/log/group_commit.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace moim::infra {

struct kafka_log_options {
  std::string brokers;
  std::map<std::string, int>
    topics; ///< topic -> partitions, created if missing
  int replication_factor = 3;
  std::string transactional_id_prefix = "moim";
  group_commit_options commit;
  std::chrono::milliseconds timeout{30000};
  /// The broker aborts a transaction left open this long (a producer that
  /// died mid-commit); a partition's new owner waits at most this for it.
  std::chrono::milliseconds transaction_timeout{10000};
  /// Transactional producers through which one group member writes all
  /// the partitions it owns (kafka_member_writers).
  int member_producers = 1;
};

/// The event log on Kafka (librdkafka). Topics are provisioned through the
/// Admin API at open. Each partition writer is a transactional producer
/// whose transactional.id is derived from topic and partition, so a newer
/// writer fences an older one at the broker. Reads use read_committed.
class kafka_log final : public event_log {
public:
  /// Connects, checks the broker count, and creates missing topics. A
  /// replication factor above the broker count is clamped, with a warning
  /// (in warnings() and the log) naming kafka.replication_factor.
  [[nodiscard]] static result<std::unique_ptr<kafka_log>>
  open(kafka_log_options options);

  ~kafka_log() override;

  result<std::unique_ptr<partition_writer>>
  open_writer(const topic_partition& where) override;

  result<read_batch> read(const topic_partition& where, events::log_offset from,
                          std::size_t max, bad_record_policy policy) override;

  result<events::log_offset> end_offset(const topic_partition& where) override;

  int partition_count(const std::string& topic) const override;

  result<std::unique_ptr<group_subscription>>
  subscribe(const std::string& group, const std::vector<std::string>& topics,
            rebalance_listener listener, subscription_options options) override;
  using event_log::subscribe;

  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept;

  /// The replication factor in effect after clamping.
  [[nodiscard]] int replication_factor() const noexcept;

  struct impl;

private:
  explicit kafka_log(std::unique_ptr<impl> d);

  std::unique_ptr<impl> impl_;
};

} // namespace moim::infra
