#include "infra/log/kafka/kafka_txn_producer.hpp"

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

std::string nothing_committed(const std::string& stage,
                              const std::string& text) {
  return "append failed at " + stage + ": " + text
         + "; nothing of it was committed";
}

} // namespace

result<std::unique_ptr<kafka_txn_producer>>
kafka_txn_producer::open(const std::string& brokers, std::string txn_id,
                         std::chrono::milliseconds timeout,
                         std::chrono::milliseconds transaction_timeout) {
  auto producer = make_kafka_client(
    RD_KAFKA_PRODUCER,
    {{"bootstrap.servers", brokers},
     {"transactional.id", txn_id},
     // The broker aborts a transaction its producer left open for this
     // long: it bounds how long a new owner waits for a dead one's.
     {"transaction.timeout.ms", std::to_string(transaction_timeout.count())},
     // Moim batches in group commits; librdkafka need not wait for more.
     // (linger.ms 1000, relying on flush to send at once, measured no
     // different at 10,000 msgs/s.)
     {"linger.ms", "0"},
     // AddPartitionsToTxn right after a commit meets CONCURRENT_TRANSACTIONS
     // while the broker writes the markers; retry soon, not after 100 ms.
     {"retry.backoff.ms", "5"},
     {"queue.buffering.max.messages", "1000000"}},
    install_delivery_cb);
  if (!producer)
    return producer.err();
  kafka_error_ptr init{rd_kafka_init_transactions(
    producer->get(), static_cast<int>(timeout.count()))};
  if (init)
    return error{rd_kafka_error_is_retriable(init.get()) ? errc::timeout
                                                         : errc::rejected,
                 "cannot start the transactional producer " + txn_id + ": "
                   + rd_kafka_error_string(init.get())};
  return std::unique_ptr<kafka_txn_producer>{
    new kafka_txn_producer(std::move(*producer), std::move(txn_id), timeout)};
}

kafka_txn_producer::kafka_txn_producer(kafka_handle producer,
                                       std::string txn_id,
                                       std::chrono::milliseconds timeout)
  : producer_(std::move(producer)), txn_id_(std::move(txn_id)),
    timeout_(timeout) {
  // nop
}

error kafka_txn_producer::fail(rd_kafka_error_t* raw, const char* stage) {
  kafka_error_ptr err{raw};
  auto code = rd_kafka_error_code(err.get());
  std::string text = rd_kafka_error_string(err.get());
  if (rd_kafka_error_is_fatal(err.get()) || code == RD_KAFKA_RESP_ERR__FENCED
      || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED) {
    std::lock_guard<std::mutex> guard{fenced_mtx_};
    fenced_reason_ = "fenced: a newer producer with transactional.id " + txn_id_
                     + " took over; this one can no longer append (" + text
                     + ")";
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
  // The group's generation moved on (KIP-447): another member owns what
  // this one wrote to now. Not retryable here: the caller's partition is
  // being taken away.
  if (code == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION
      || code == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID
      || code == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID
      || code == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
    return error{
      errc::rejected,
      nothing_committed(stage, text
                                 + " (this node is no longer the "
                                   "group's owner of the partition)")};
  return error{errc::unreachable, nothing_committed(stage, text)};
}

error kafka_txn_producer::abort_with(errc code, std::string message) {
  kafka_error_ptr abort{rd_kafka_abort_transaction(
    producer_.get(), static_cast<int>(timeout_.count()))};
  if (abort && rd_kafka_error_is_fatal(abort.get()))
    return fail(abort.release(), "abort");
  return error{code, std::move(message)};
}

result<std::vector<events::log_position>>
kafka_txn_producer::commit(const std::vector<commit_item>& group,
                           const before_commit_fn& before_commit) {
  if (fenced_) {
    std::lock_guard<std::mutex> guard{fenced_mtx_};
    return error{errc::rejected, fenced_reason_};
  }
  auto* rk = producer_.get();
  auto timeout_ms = static_cast<int>(timeout_.count());
  auto stage_start = std::chrono::steady_clock::now();
  auto stage_done = [this, &stage_start](histogram* h) {
    auto now = std::chrono::steady_clock::now();
    if (metrics_)
      h->observe(std::chrono::duration<double>(now - stage_start).count());
    stage_start = now;
  };
  if (auto* err = rd_kafka_begin_transaction(rk))
    return fail(err, "begin");

  std::size_t count = 0;
  for (const auto& item : group)
    count += item.events.size();
  std::vector<delivery_slot> slots(count);
  std::size_t i = 0;
  std::string value;
  for (const auto& item : group) {
    const auto& where = item.target.where;
    for (const auto& e : item.events) {
      value = e.payload.dump();
      for (;;) {
        auto* headers = to_kafka_headers(e);
        kafka_error_ptr produce_err{
          produce_message(rk, where.topic, where.partition.value(),
                          e.aggregate.value(), value, headers, &slots[i])};
        auto err = produce_err ? rd_kafka_error_code(produce_err.get())
                               : RD_KAFKA_RESP_ERR_NO_ERROR;
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
          break;
        rd_kafka_headers_destroy(headers); // kept by librdkafka on success
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          rd_kafka_poll(rk, 10);
          continue;
        }
        return abort_with(err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE
                            ? errc::invalid
                            : errc::unreachable,
                          nothing_committed("produce to " + where.text(),
                                            rd_kafka_err2str(err)));
      }
      ++i;
    }
  }
  stage_done(metrics_ ? metrics_->produce.get() : nullptr);
  // Flush first so that every delivery report (and its offset) has been
  // served before the transaction ends.
  rd_kafka_flush(rk, timeout_ms);
  stage_done(metrics_ ? metrics_->flush.get() : nullptr);
  std::vector<events::log_position> positions;
  positions.reserve(count);
  i = 0;
  for (const auto& item : group) {
    for (std::size_t k = 0; k < item.events.size(); ++k, ++i) {
      const auto& slot = slots[i];
      if (slot.offset < 0 || slot.err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return abort_with(
          errc::unreachable,
          nothing_committed("delivery to " + item.target.where.text(),
                            slot.err != RD_KAFKA_RESP_ERR_NO_ERROR
                              ? std::string{rd_kafka_err2str(slot.err)}
                              : std::string{"no delivery report in time"}));
      positions.push_back(
        {item.target.where.partition, events::log_offset{slot.offset}});
    }
  }
  if (before_commit) {
    if (auto err = before_commit(rk, group, positions))
      return fail(err.release(), "send_offsets");
    stage_done(metrics_ ? metrics_->offsets.get() : nullptr);
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
  stage_done(metrics_ ? metrics_->end.get() : nullptr);
  return positions;
}

} // namespace moim::infra
