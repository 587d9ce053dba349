#pragma once

#include "infra/log/event_log.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace moim::infra {

struct group_commit_options {
  /// A group closes at this many events (whole caller batches; one larger
  /// batch still goes alone).
  std::size_t max_events = 1000;
  /// How long the first append of a group waits for company. Appends that
  /// arrive while a commit is in flight join the next group anyway.
  std::chrono::microseconds linger{0};
};

/// Collects appends from many callers on one thread and hands them to
/// `commit` as one group; each caller's callback then gets its own slice of
/// the positions, or the group's error.
class group_commit {
public:
  /// Commits all batches of a group atomically: positions for each event of
  /// each batch, in order, or one error for all.
  using commit_fn = std::function<result<std::vector<events::log_position>>(
    const std::vector<const std::vector<events::event_envelope>*>& group)>;

  group_commit(group_commit_options options, commit_fn commit);
  ~group_commit();

  group_commit(const group_commit&) = delete;
  group_commit& operator=(const group_commit&) = delete;

  void append(std::vector<events::event_envelope> batch, append_callback done);

  /// Successful commits and the events in them.
  [[nodiscard]] writer_stats stats() const noexcept {
    return {commits_.load(std::memory_order_relaxed),
            events_.load(std::memory_order_relaxed)};
  }

private:
  struct pending {
    std::vector<events::event_envelope> batch;
    append_callback done;
  };

  void run();

  group_commit_options options_;
  commit_fn commit_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<pending> queue_;
  std::size_t queued_events_ = 0;
  bool stopping_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> events_{0};
  std::thread worker_;
};

} // namespace moim::infra
