#pragma once

#include "infra/log/event_log.hpp"
#include "infra/log/kafka/kafka_handle.hpp"

namespace moim::infra {

/// A member of a Kafka consumer group (read_committed). The listener is
/// told of assignments and revocations from inside poll().
class kafka_subscription final : public group_subscription {
public:
  [[nodiscard]] static result<std::unique_ptr<kafka_subscription>>
  open(const std::string& brokers, const std::string& group,
       const std::vector<std::string>& topics, rebalance_listener listener,
       subscription_options options = {});

  /// Leaves the group (the listener hears the revocation).
  ~kafka_subscription() override;

  result<std::vector<log_record>>
  poll(std::chrono::milliseconds timeout) override;

  std::vector<topic_partition> assignment() const override;

private:
  kafka_subscription(rebalance_listener listener, bool fetch_records);

  static void install_rebalance_cb(rd_kafka_conf_t* conf);

  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions,
                           void* opaque);

  rebalance_listener listener_;
  bool fetch_records_;
  std::vector<topic_partition> assigned_;
  kafka_handle consumer_;
};

} // namespace moim::infra
