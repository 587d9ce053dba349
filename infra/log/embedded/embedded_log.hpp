#pragma once

#include "infra/log/event_log.hpp"
#include "infra/log/group_commit.hpp"

#include <map>
#include <memory>
#include <string>

namespace moim::infra {

struct embedded_log_options {
  std::string path;                  ///< the RocksDB folder
  std::map<std::string, int> topics; ///< topic -> partition count
  group_commit_options commit;
};

/// The event log in one process, durable across restarts: a RocksDB
/// database with one key per record (topic, partition, offset) and the end
/// offset of each partition, written together in one synced WriteBatch per
/// group commit. The default when no Kafka brokers are configured.
/// RocksDB's LOCK file keeps a second process out; within the process a new
/// writer of a partition fences the old one, as Kafka does.
class embedded_log final : public event_log {
public:
  [[nodiscard]] static result<std::unique_ptr<embedded_log>>
  open(embedded_log_options options);

  ~embedded_log() override;

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

  struct state; // shared with writers and subscriptions

private:
  explicit embedded_log(std::shared_ptr<state> st);

  std::shared_ptr<state> state_;
};

} // namespace moim::infra
