#pragma once

#include "projections/projection.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
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
};

/// What a runner is doing, for /metrics and /readyz.
struct runner_status {
  /// "starting" (loading checkpoints), "running", "retrying" (the store
  /// failed; the projection waits and its lag grows), "stopped".
  std::string state = "starting";
  std::uint64_t events = 0;      ///< records applied since start
  std::uint64_t batches = 0;     ///< batches applied since start
  std::uint64_t failures = 0;    ///< failed attempts to apply a batch
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
  void run();
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
  bool reload_ = true;   ///< runner thread: known_ is stale
};

} // namespace moim::projections
