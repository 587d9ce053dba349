#pragma once

#include "infra/log/group_commit.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/kafka/kafka_txn_producer.hpp"

namespace moim::infra {

/// The standalone writer of one partition (event_log::open_writer): its
/// own transactional producer, whose transactional.id is
/// <prefix>-<topic>-<partition>, so opening a newer writer anywhere fences
/// this one at the broker. Each group commit is one transaction. The write
/// side uses the group-bound writers of kafka_member_writers instead.
class kafka_writer final : public partition_writer {
public:
  /// Creates the producer and runs init_transactions (which fences older
  /// writers of the same partition).
  [[nodiscard]] static result<std::unique_ptr<kafka_writer>>
  open(const kafka_log_options& options, topic_partition where, int partitions);

  ~kafka_writer() override;

  open_append_ptr append_at(std::vector<events::event_envelope> batch,
                            write_epoch at, append_callback done) override;

  bool extend(const open_append_ptr& open,
              std::vector<events::event_envelope>& more) override;

  write_epoch epoch() const override {
    return target_->epoch();
  }

  const topic_partition& where() const override {
    return target_->where;
  }

  writer_stats stats() const override {
    return batcher_.stats();
  }

private:
  kafka_writer(const kafka_log_options& options, topic_partition where,
               int partitions, std::unique_ptr<kafka_txn_producer> producer);

  write_target_ptr target_;
  int partitions_;
  std::unique_ptr<kafka_txn_producer> producer_;
  group_commit batcher_; // last: its thread uses the members above
};

} // namespace moim::infra
