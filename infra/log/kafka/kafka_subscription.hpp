#pragma once

#include "infra/log/event_log.hpp"
#include "infra/log/kafka/kafka_handle.hpp"
#include "infra/log/kafka/kafka_log.hpp"

#include <map>

namespace moim::infra {

class kafka_member_writers;

/// A member of a Kafka consumer group (read_committed). The listener is
/// told of assignments and revocations from inside poll().
class kafka_subscription final : public group_subscription {
public:
  [[nodiscard]] static result<std::unique_ptr<kafka_subscription>>
  open(const kafka_log_options& log, std::map<std::string, int> partitions,
       const std::string& group, const std::vector<std::string>& topics,
       rebalance_listener listener, subscription_options options = {});

  /// Leaves the group (the listener hears the revocation).
  ~kafka_subscription() override;

  result<std::vector<log_record>>
  poll(std::chrono::milliseconds timeout) override;

  std::vector<topic_partition> assignment() const override;

  result<std::unique_ptr<partition_writer>>
  open_writer(const topic_partition& where) override;

private:
  kafka_subscription(const kafka_log_options& log,
                     std::map<std::string, int> partitions, std::string group,
                     rebalance_listener listener, subscription_options options);

  static void install_rebalance_cb(rd_kafka_conf_t* conf);

  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions,
                           void* opaque);

  kafka_log_options log_;
  std::map<std::string, int> partitions_;
  std::string group_;
  rebalance_listener listener_;
  subscription_options options_;
  std::vector<topic_partition> assigned_;
  std::shared_ptr<rd_kafka_t> consumer_;          ///< shared with the writers
  std::shared_ptr<kafka_member_writers> writers_; ///< made at the first writer
};

} // namespace moim::infra
