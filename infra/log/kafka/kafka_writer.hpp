#pragma once

#include "infra/log/group_commit.hpp"
#include "infra/log/kafka/kafka_handle.hpp"
#include "infra/log/kafka/kafka_log.hpp"

#include <atomic>

namespace moim::infra {

/// The transactional producer of one partition: each group commit is one
/// Kafka transaction. Its transactional.id is <prefix>-<topic>-<partition>,
/// so opening a newer writer anywhere fences this one at the broker.
class kafka_writer final : public partition_writer {
public:
  /// Creates the producer and runs init_transactions (which fences older
  /// writers of the same partition).
  [[nodiscard]] static result<std::unique_ptr<kafka_writer>>
  open(const kafka_log_options& options, topic_partition where, int partitions);

  ~kafka_writer() override;

  void append(std::vector<events::event_envelope> batch,
              append_callback done) override;

  const topic_partition& where() const override {
    return where_;
  }

  writer_stats stats() const override {
    return batcher_.stats();
  }

private:
  kafka_writer(const kafka_log_options& options, topic_partition where,
               int partitions, kafka_handle producer, std::string txn_id);

  result<std::vector<events::log_position>>
  commit(const std::vector<const std::vector<events::event_envelope>*>& group);

  /// Maps a transaction error; aborts the transaction where that is needed.
  error fail(rd_kafka_error_t* raw, const char* stage);

  topic_partition where_;
  int partitions_;
  std::chrono::milliseconds timeout_;
  kafka_handle producer_;
  std::string txn_id_;
  std::atomic<bool> fenced_{false};
  std::string fenced_reason_;
  group_commit batcher_; // last: its thread uses the members above
};

} // namespace moim::infra
