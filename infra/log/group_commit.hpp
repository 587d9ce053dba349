#pragma once

#include "infra/log/event_log.hpp"
#include "infra/metrics/registry.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace moim::infra {

/// Seconds from `start` to now.
[[nodiscard]] double seconds_since(std::chrono::steady_clock::time_point start);

/// What group commits observe, for /metrics (shared by every group commit
/// of one log).
struct group_commit_metrics {
  /// From a group's oldest append to the group's close: the wait for
  /// company, and behind the commit before it.
  std::shared_ptr<histogram> queued;
  /// One commit (one transaction, one synced write).
  std::shared_ptr<histogram> commit;
  std::shared_ptr<histogram> events; ///< in one group
  /// Kafka: a transaction's stages (records handed to librdkafka, their
  /// deliveries, the group offsets, the end).
  std::shared_ptr<histogram> produce;
  std::shared_ptr<histogram> flush;
  std::shared_ptr<histogram> offsets;
  std::shared_ptr<histogram> end;

  [[nodiscard]] static std::shared_ptr<group_commit_metrics> make();

  /// Registers them, labelled with `log` (kafka, embedded).
  void add_to(metrics_registry& metrics, const std::string& log) const;
};

struct group_commit_options {
  /// A group closes at this many events (whole caller batches; one larger
  /// batch still goes alone).
  std::size_t max_events = 1000;
  /// How long the first append of a group waits for company, at least.
  /// Appends that arrive while a commit is in flight join the next group
  /// anyway. On Kafka the wait is also a pause between transactions:
  /// librdkafka's main thread spins while one is open (see
  /// infra/README.md).
  std::chrono::microseconds linger{0};
  /// Under load the wait grows with the last group: this much per event
  /// in it, up to linger_most. Few commits of many events cost far less
  /// than many small ones (each is a transaction of several round trips),
  /// and a light load keeps the short wait.
  std::chrono::microseconds linger_per_event{0};
  std::chrono::microseconds linger_most{0};
  /// Observed here when set.
  std::shared_ptr<group_commit_metrics> metrics;

  /// The wait after a group of `last_events`.
  [[nodiscard]] std::chrono::microseconds
  linger_after(std::size_t last_events) const noexcept {
    auto grown = linger_per_event * static_cast<std::int64_t>(last_events);
    return std::max(linger, std::min(grown, linger_most));
  }
};

/// Where an append goes, and whether its writer may still commit there: a
/// writer bound to a group member is released when the member loses the
/// partition, and a commit checks that before it writes.
struct write_target {
  explicit write_target(topic_partition tp) : where(std::move(tp)) {
    // nop
  }
  topic_partition where;
  std::atomic<bool> released{false};
  /// Appends to it that failed (its write_epoch).
  std::atomic<std::uint64_t> failures{0};

  [[nodiscard]] write_epoch epoch() const noexcept {
    return write_epoch{failures.load()};
  }

  /// An append refused before it reached a group commit: the epoch moves
  /// on as for any failed append.
  void refuse(const append_callback& done, error why) {
    failures.fetch_add(1);
    done(std::move(why));
  }
};

using write_target_ptr = std::shared_ptr<write_target>;

/// The targets of the writers a group member opened, one per partition:
/// released when the member loses the partition, opens a newer writer of
/// it, or leaves. Thread-safe.
class member_targets {
public:
  /// A target for a new writer of `where` (an older one is released).
  [[nodiscard]] write_target_ptr claim(const topic_partition& where);

  void release(const std::vector<topic_partition>& partitions);

  void release_all();

private:
  std::mutex mtx_;
  std::map<topic_partition, write_target_ptr> targets_;
};

/// One caller's batch within a group.
struct commit_item {
  const write_target& target;
  const std::vector<events::event_envelope>& events;
};

/// Collects appends from many callers (of one partition or of several) on
/// one thread and hands them to `commit` as one group; each caller's
/// callback then gets its own result.
class group_commit {
public:
  /// Commits a group: one result per item, in order (the positions of its
  /// events, or why it was not committed).
  using commit_fn = std::function<std::vector<append_result>(
    const std::vector<commit_item>& group)>;

  group_commit(group_commit_options options, commit_fn commit);
  ~group_commit();

  group_commit(const group_commit&) = delete;
  group_commit& operator=(const group_commit&) = delete;

  /// Queues `batch` for `target`, to be committed unless an append to the
  /// target failed since epoch `at`; null when refused at once.
  open_append_ptr append(write_target_ptr target,
                         std::vector<events::event_envelope> batch,
                         write_epoch at, append_callback done);

  /// partition_writer::extend for an append queued here.
  [[nodiscard]] bool extend(const open_append_ptr& open,
                            std::vector<events::event_envelope>& more);

  /// Successful commits and the events in them.
  [[nodiscard]] writer_stats stats() const noexcept {
    return {commits_.load(std::memory_order_relaxed),
            events_.load(std::memory_order_relaxed)};
  }

private:
  struct pending final : open_append {
    pending(const group_commit* owner, write_target_ptr target,
            std::vector<events::event_envelope> batch, write_epoch at,
            append_callback done,
            std::chrono::steady_clock::time_point queued_at)
      : owner(owner), target(std::move(target)), batch(std::move(batch)),
        at(at), done(std::move(done)), queued_at(queued_at) {
      // nop
    }
    const group_commit* owner;
    write_target_ptr target;
    std::vector<events::event_envelope> batch; ///< grows until taken
    write_epoch at;
    append_callback done;
    std::chrono::steady_clock::time_point queued_at;
    bool taken = false; ///< under mtx_: a group holds it
  };
  using pending_ptr = std::shared_ptr<pending>;

  void run();
  void commit_group(std::vector<pending_ptr>& group);

  group_commit_options options_;
  commit_fn commit_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<pending_ptr> queue_;
  std::size_t queued_events_ = 0;
  std::size_t last_group_events_ = 0; ///< sizes the next wait (run() only)
  bool stopping_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> events_{0};
  std::thread worker_;
};

/// The results of a group committed as one unit (one transaction, one synced
/// write): each item's slice of `positions`, or the one error for all.
[[nodiscard]] std::vector<append_result>
split_positions(const std::vector<commit_item>& group,
                result<std::vector<events::log_position>> positions);

} // namespace moim::infra
