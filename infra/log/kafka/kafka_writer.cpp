#include "infra/log/kafka/kafka_writer.hpp"

#include "infra/log/kafka/kafka_record.hpp"

#include <spdlog/spdlog.h>

namespace moim::infra {

namespace {

/// Where a delivery report writes the offset of one produced event.
struct delivery_slot {
  std::int64_t offset = -1;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* slot = static_cast<delivery_slot*>(msg->_private);
  slot->err = msg->err;
  slot->offset = msg->offset;
}

void install_delivery_cb(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
}

} // namespace

result<std::unique_ptr<kafka_writer>>
kafka_writer::open(const kafka_log_options& options, topic_partition where,
                   int partitions) {
  auto txn_id = options.transactional_id_prefix + "-" + where.topic + "-"
                + std::to_string(where.partition.value());
  auto producer = make_kafka_client(
    RD_KAFKA_PRODUCER,
    {{"bootstrap.servers", options.brokers},
     {"transactional.id", txn_id},
     {"transaction.timeout.ms", "60000"},
     // Moim batches in group commits; librdkafka need not wait for more.
     {"linger.ms", "0"},
     // AddPartitionsToTxn right after a commit meets CONCURRENT_TRANSACTIONS
     // while the broker writes the markers; retry soon, not after 100 ms.
     {"retry.backoff.ms", "5"},
     {"queue.buffering.max.messages", "1000000"}},
    install_delivery_cb);
  if (!producer)
    return producer.err();
  kafka_error_ptr init{rd_kafka_init_transactions(
    producer->get(), static_cast<int>(options.timeout.count()))};
  if (init)
    return error{
      rd_kafka_error_is_retriable(init.get()) ? errc::timeout : errc::rejected,
      "cannot become the writer of " + where.text() + " (transactional.id "
        + txn_id + "): " + rd_kafka_error_string(init.get())};
  return std::unique_ptr<kafka_writer>{
    new kafka_writer(options, std::move(where), partitions,
                     std::move(*producer), std::move(txn_id))};
}

kafka_writer::kafka_writer(const kafka_log_options& options,
                           topic_partition where, int partitions,
                           kafka_handle producer, std::string txn_id)
  : where_(std::move(where)), partitions_(partitions),
    timeout_(options.timeout), producer_(std::move(producer)),
    txn_id_(std::move(txn_id)),
    batcher_(options.commit, [this](const auto& group) {
      return commit(group);
    }) {
  // nop
}

kafka_writer::~kafka_writer() = default;

void kafka_writer::append(std::vector<events::event_envelope> batch,
                          append_callback done) {
  if (fenced_) {
    done(error{errc::rejected, fenced_reason_});
    return;
  }
  if (auto misrouted = check_routing(batch, where_, partitions_)) {
    done(std::move(*misrouted));
    return;
  }
  batcher_.append(std::move(batch), std::move(done));
}

error kafka_writer::fail(rd_kafka_error_t* raw, const char* stage) {
  kafka_error_ptr err{raw};
  auto code = rd_kafka_error_code(err.get());
  std::string text = rd_kafka_error_string(err.get());
  if (rd_kafka_error_is_fatal(err.get()) || code == RD_KAFKA_RESP_ERR__FENCED
      || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED) {
    fenced_reason_ = "fenced: a newer writer owns " + where_.text()
                     + " (transactional.id " + txn_id_
                     + "); this writer can no longer append (" + text + ")";
    fenced_ = true;
    spdlog::warn("{}", fenced_reason_);
    return error{errc::rejected, fenced_reason_};
  }
  if (rd_kafka_error_txn_requires_abort(err.get())) {
    kafka_error_ptr abort{rd_kafka_abort_transaction(
      producer_.get(), static_cast<int>(timeout_.count()))};
    if (abort && rd_kafka_error_is_fatal(abort.get()))
      return fail(abort.release(), "abort");
  }
  return error{errc::unreachable, std::string{"append to "} + where_.text()
                                    + " failed at " + stage + ": " + text
                                    + "; nothing of it was committed"};
}

result<std::vector<events::log_position>> kafka_writer::commit(
  const std::vector<const std::vector<events::event_envelope>*>& group) {
  if (fenced_)
    return error{errc::rejected, fenced_reason_};
  auto* rk = producer_.get();
  auto timeout_ms = static_cast<int>(timeout_.count());
  if (auto* err = rd_kafka_begin_transaction(rk))
    return fail(err, "begin");

  std::size_t count = 0;
  for (const auto* batch : group)
    count += batch->size();
  std::vector<delivery_slot> slots(count);
  std::size_t i = 0;
  for (const auto* batch : group) {
    for (const auto& e : *batch) {
      auto value = e.payload.dump();
      const auto& key = e.aggregate.value();
      for (;;) {
        auto* headers = to_kafka_headers(e);
        kafka_error_ptr produce_err{
          produce_message(rk, where_.topic, where_.partition.value(), key,
                          value, headers, &slots[i])};
        auto err = produce_err ? rd_kafka_error_code(produce_err.get())
                               : RD_KAFKA_RESP_ERR_NO_ERROR;
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
          break;
        rd_kafka_headers_destroy(headers); // kept by librdkafka on success
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          rd_kafka_poll(rk, 10);
          continue;
        }
        kafka_error_ptr abort{rd_kafka_abort_transaction(rk, timeout_ms)};
        if (abort && rd_kafka_error_is_fatal(abort.get()))
          return fail(abort.release(), "abort");
        return error{
          err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ? errc::invalid
                                                      : errc::unreachable,
          "append to " + where_.text() + " failed at produce: "
            + rd_kafka_err2str(err) + "; nothing of it was committed"};
      }
      ++i;
    }
  }
  // Flush first so that every delivery report (and its offset) has been
  // served before the transaction ends.
  rd_kafka_flush(rk, timeout_ms);
  for (const auto& slot : slots) {
    if (slot.offset < 0 || slot.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto text = slot.err != RD_KAFKA_RESP_ERR_NO_ERROR
                    ? std::string{rd_kafka_err2str(slot.err)}
                    : std::string{"no delivery report in time"};
      kafka_error_ptr abort{rd_kafka_abort_transaction(rk, timeout_ms)};
      if (abort && rd_kafka_error_is_fatal(abort.get()))
        return fail(abort.release(), "abort");
      return error{errc::unreachable, "append to " + where_.text()
                                        + " failed at delivery: " + text
                                        + "; nothing of it was committed"};
    }
  }
  for (int attempt = 0;; ++attempt) {
    auto* err = rd_kafka_commit_transaction(rk, timeout_ms);
    if (err == nullptr)
      break;
    if (rd_kafka_error_is_retriable(err) && attempt < 3) {
      rd_kafka_error_destroy(err);
      continue;
    }
    return fail(err, "commit");
  }
  std::vector<events::log_position> positions;
  positions.reserve(count);
  for (const auto& slot : slots)
    positions.push_back({where_.partition, events::log_offset{slot.offset}});
  return positions;
}

} // namespace moim::infra
