#pragma once

#include "infra/log/group_commit.hpp"
#include "infra/log/kafka/kafka_handle.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>

namespace moim::infra {

/// One transactional producer: each commit() is one Kafka transaction over
/// the items of a group commit, to whichever partitions they go. Opening
/// it (init_transactions) fences and aborts whatever an earlier producer
/// with the same transactional.id left open.
class kafka_txn_producer {
public:
  /// Runs inside the transaction once every record is delivered (offsets
  /// known), before the commit: an error aborts the transaction. The
  /// member writers send the group's offsets from here (KIP-447 fencing).
  using before_commit_fn = std::function<kafka_error_ptr(
    rd_kafka_t* rk, const std::vector<commit_item>& group,
    const std::vector<events::log_position>& positions)>;

  [[nodiscard]] static result<std::unique_ptr<kafka_txn_producer>>
  open(const std::string& brokers, std::string txn_id,
       std::chrono::milliseconds timeout,
       std::chrono::milliseconds transaction_timeout);

  /// Produces every item to its target's partition in one transaction and
  /// commits it: the positions of all events in order, or an error with
  /// nothing of the group committed.
  [[nodiscard]] result<std::vector<events::log_position>>
  commit(const std::vector<commit_item>& group,
         const before_commit_fn& before_commit = {});

  /// Each commit's stages are observed into `metrics` from now on.
  void observe_into(std::shared_ptr<group_commit_metrics> metrics) {
    metrics_ = std::move(metrics);
  }

  /// A newer producer with the same transactional.id took over: this one
  /// can never commit again.
  [[nodiscard]] bool fenced() const noexcept {
    return fenced_.load();
  }

  [[nodiscard]] const std::string& transactional_id() const noexcept {
    return txn_id_;
  }

private:
  kafka_txn_producer(kafka_handle producer, std::string txn_id,
                     std::chrono::milliseconds timeout);

  /// Maps a transaction error; aborts the transaction where that is needed.
  error fail(rd_kafka_error_t* raw, const char* stage);

  /// Aborts after a failure of our own making (a produce or delivery
  /// error); `message` says what failed.
  error abort_with(errc code, std::string message);

  kafka_handle producer_;
  std::string txn_id_;
  std::chrono::milliseconds timeout_;
  std::atomic<bool> fenced_{false};
  std::mutex fenced_mtx_;
  std::string fenced_reason_;
  std::shared_ptr<group_commit_metrics> metrics_;
};

} // namespace moim::infra
