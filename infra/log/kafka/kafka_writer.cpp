#include "infra/log/kafka/kafka_writer.hpp"

namespace moim::infra {

result<std::unique_ptr<kafka_writer>>
kafka_writer::open(const kafka_log_options& options, topic_partition where,
                   int partitions) {
  auto txn_id = options.transactional_id_prefix + "-" + where.topic + "-"
                + std::to_string(where.partition.value());
  auto producer = kafka_txn_producer::open(
    options.brokers, txn_id, options.timeout, options.transaction_timeout);
  if (!producer)
    return error{producer.err().code, "cannot become the writer of "
                                        + where.text() + ": "
                                        + producer.err().message};
  (*producer)->observe_into(options.commit.metrics);
  return std::unique_ptr<kafka_writer>{new kafka_writer(
    options, std::move(where), partitions, std::move(*producer))};
}

kafka_writer::kafka_writer(const kafka_log_options& options,
                           topic_partition where, int partitions,
                           std::unique_ptr<kafka_txn_producer> producer)
  : target_(std::make_shared<write_target>(std::move(where))),
    partitions_(partitions), producer_(std::move(producer)),
    batcher_(options.commit, [this](const std::vector<commit_item>& group) {
      return split_positions(group, producer_->commit(group));
    }) {
  // nop
}

kafka_writer::~kafka_writer() = default;

open_append_ptr
kafka_writer::append_at(std::vector<events::event_envelope> batch,
                        write_epoch at, append_callback done) {
  if (producer_->fenced()) {
    target_->refuse(
      done, error{errc::rejected,
                  "fenced: a newer writer owns " + target_->where.text()
                    + " (transactional.id " + producer_->transactional_id()
                    + "); this writer can no longer append"});
    return nullptr;
  }
  if (auto misrouted = check_routing(batch, target_->where, partitions_)) {
    target_->refuse(done, std::move(*misrouted));
    return nullptr;
  }
  return batcher_.append(target_, std::move(batch), at, std::move(done));
}

bool kafka_writer::extend(const open_append_ptr& open,
                          std::vector<events::event_envelope>& more) {
  return !check_routing(more, target_->where, partitions_)
         && batcher_.extend(open, more);
}

} // namespace moim::infra
