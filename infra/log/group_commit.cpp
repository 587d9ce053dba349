#include "infra/log/group_commit.hpp"

namespace moim::infra {

group_commit::group_commit(group_commit_options options, commit_fn commit)
  : options_(options), commit_(std::move(commit)) {
  worker_ = std::thread{[this] {
    run();
  }};
}

group_commit::~group_commit() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void group_commit::append(std::vector<events::event_envelope> batch,
                          append_callback done) {
  if (batch.empty()) {
    done(std::vector<events::log_position>{});
    return;
  }
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_) {
      done(error{errc::rejected, "the partition writer is shutting down"});
      return;
    }
    queued_events_ += batch.size();
    queue_.push_back({std::move(batch), std::move(done)});
  }
  cv_.notify_one();
}

void group_commit::run() {
  std::unique_lock<std::mutex> lock{mtx_};
  for (;;) {
    cv_.wait(lock, [this] {
      return stopping_ || !queue_.empty();
    });
    if (queue_.empty())
      return; // stopping, and everything queued has been committed
    if (options_.linger.count() > 0 && queued_events_ < options_.max_events
        && !stopping_) {
      auto deadline = std::chrono::steady_clock::now() + options_.linger;
      cv_.wait_until(lock, deadline, [this] {
        return stopping_ || queued_events_ >= options_.max_events;
      });
    }
    std::vector<pending> group;
    std::size_t events = 0;
    while (
      !queue_.empty()
      && (group.empty()
          || events + queue_.front().batch.size() <= options_.max_events)) {
      events += queue_.front().batch.size();
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    queued_events_ -= events;
    lock.unlock();

    std::vector<const std::vector<events::event_envelope>*> batches;
    batches.reserve(group.size());
    for (auto& p : group)
      batches.push_back(&p.batch);
    auto positions = commit_(batches);
    if (!positions) {
      for (auto& p : group)
        p.done(positions.err());
    } else {
      commits_.fetch_add(1, std::memory_order_relaxed);
      events_.fetch_add(events, std::memory_order_relaxed);
      auto it = positions->begin();
      for (auto& p : group) {
        std::vector<events::log_position> mine(
          it, it + static_cast<std::ptrdiff_t>(p.batch.size()));
        it += static_cast<std::ptrdiff_t>(p.batch.size());
        p.done(std::move(mine));
      }
    }
    lock.lock();
  }
}

} // namespace moim::infra
