#pragma once

#include "projections/dead_letters.hpp"
#include "projections/projection.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace moim::infra {
class metrics_registry;
}

namespace moim::projections {

struct runner_options {
  std::size_t max_batch = 2000;         ///< records applied at once, at most
  std::chrono::milliseconds linger{20}; ///< a batch waits this long for more
  std::chrono::milliseconds min_backoff{100};   ///< store errors: first wait
  std::chrono::milliseconds max_backoff{10000}; ///< and the longest
  /// Static membership of the projection's group (a restarted node gets
  /// its partitions back at once); empty: dynamic.
  std::string instance_id;
  /// Where poison records are parked (dead_letters.hpp; the topic must
  /// exist, one partition); empty: undecodable records are skipped with a
  /// warning and a batch the store refuses is retried for ever.
  std::string dead_letter_topic;
  /// A batch the store refuses (not a store outage) this many times in a
  /// row is applied record by record, and the record it refuses as often
  /// is parked.
  int poison_after = 3;
  /// Kafka: how soon the partitions of a runner that died (SIGKILL) move
  /// to the others (session.timeout.ms; at least the broker's minimum, 6 s).
  std::chrono::milliseconds session_timeout{10000};
};

/// What a runner is doing, for /metrics and /readyz.
struct runner_status {
  /// "starting" (loading checkpoints), "running", "retrying" (the store
  /// failed; the projection waits and its lag grows), "stopped".
  std::string state = "starting";
  std::uint64_t events = 0;      ///< records applied since start
  std::uint64_t batches = 0;     ///< batches applied since start
  std::uint64_t failures = 0;    ///< failed attempts to apply a batch
  std::uint64_t parked = 0;      ///< records parked since start
  double last_batch_seconds = 0; ///< how long the last apply took
  std::string last_error;        ///< of the last failure; "" once none
  /// Applied up to (the next offset), per partition this runner holds.
  checkpoints positions;
  /// The log's end per partition this runner holds, when last looked at.
  checkpoints ends;
};

/// Runs one projection: joins the projection's consumer group (one per
/// projection, so nodes share its partitions), starts each partition it is
/// given at the checkpoint the projection's store holds, and applies what
/// it reads in batches (by count and by time). A store error is retried
/// with exponential backoff and jitter, for as long as it takes: nothing is
/// skipped, the lag grows and drains by itself. A batch the store refuses
/// because another runner moved its checkpoint makes this one reload.
class projection_runner {
public:
  projection_runner(infra::event_log& log, std::shared_ptr<projection> p,
                    runner_options options = {});

  /// stop().
  ~projection_runner();

  projection_runner(const projection_runner&) = delete;
  projection_runner& operator=(const projection_runner&) = delete;

  void start();

  /// Ends the thread after the batch in hand (applied or not).
  void stop();

  [[nodiscard]] runner_status status() const;

  [[nodiscard]] const std::string& name() const;

  /// The topics its projection reads.
  [[nodiscard]] std::vector<std::string> topics() const;

  /// moim_projection_* gauges labelled with the projection's name: events
  /// and batches applied, failures, lag (records behind the log's end),
  /// the last batch's seconds, and whether it runs.
  void add_metrics(infra::metrics_registry& metrics) const;

  /// Waits until the projection has applied the record at `offset` of
  /// `where` (read-your-writes); false when `timeout` passes first.
  [[nodiscard]] bool wait_for(const infra::topic_partition& where,
                              events::log_offset offset,
                              std::chrono::milliseconds timeout) const;

private:
  enum class outcome { done, moved_on, poison, stopping };
  struct retry_state;

  void run();
  /// Applies `b`, retrying store outages for as long as it takes.
  outcome apply_retrying(const batch& b, retry_state& retry);
  /// Parks `r` (retrying the dead-letter topic like a store).
  bool park(const infra::log_record& r, const std::string& reason,
            retry_state& retry);
  /// Applies `pending` record by record, parking what the store refuses.
  outcome isolate(const batch& pending, retry_state& retry);
  void published(const batch& b, double seconds);

  infra::event_log& log_;
  std::shared_ptr<projection> projection_;
  runner_options options_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mtx_;
  mutable std::condition_variable applied_;
  runner_status status_; ///< guarded by mtx_
  checkpoints known_;    ///< runner thread: the store's checkpoints
  std::unique_ptr<dead_letters> dead_; ///< null: no parking
  std::set<parked_aggregate> parked_;  ///< runner thread
  bool reload_ = true;                 ///< runner thread: known_ is stale
};

} // namespace moim::projections
