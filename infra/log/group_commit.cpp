#include "infra/log/group_commit.hpp"

#include "events/vassert.hpp"

#include <pthread.h>

namespace moim::infra {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
    .count();
}

std::shared_ptr<group_commit_metrics> group_commit_metrics::make() {
  auto latency = [] {
    return std::make_shared<histogram>(histogram::latency_bounds());
  };
  auto m = std::make_shared<group_commit_metrics>();
  m->queued = latency();
  m->commit = latency();
  m->events = std::make_shared<histogram>(
    std::vector<double>{1, 10, 50, 100, 250, 500, 1000, 2500, 10000});
  m->produce = latency();
  m->flush = latency();
  m->offsets = latency();
  m->end = latency();
  return m;
}

void group_commit_metrics::add_to(metrics_registry& metrics,
                                  const std::string& log) const {
  metrics.add_histogram(
    "moim_log_group_queued_seconds",
    "from a group commit's oldest append to the group's close", queued,
    {{"log", log}});
  metrics.add_histogram("moim_log_commit_seconds",
                        "one group commit (a transaction, a synced write)",
                        commit, {{"log", log}});
  metrics.add_histogram("moim_log_commit_events", "events in one group commit",
                        events, {{"log", log}});
  if (log != "kafka")
    return;
  const char* help = "a Kafka transaction's stages";
  metrics.add_histogram("moim_log_transaction_stage_seconds", help, produce,
                        {{"stage", "produce"}});
  metrics.add_histogram("moim_log_transaction_stage_seconds", help, flush,
                        {{"stage", "flush"}});
  metrics.add_histogram("moim_log_transaction_stage_seconds", help, offsets,
                        {{"stage", "offsets"}});
  metrics.add_histogram("moim_log_transaction_stage_seconds", help, end,
                        {{"stage", "end"}});
}

group_commit::group_commit(group_commit_options options, commit_fn commit)
  : options_(options), commit_(std::move(commit)) {
  worker_ = std::thread{[this] {
    // Named for top -H and perf (at most 15 characters).
    pthread_setname_np(pthread_self(), "moim-commit");
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

open_append_ptr group_commit::append(write_target_ptr target,
                                     std::vector<events::event_envelope> batch,
                                     write_epoch at, append_callback done) {
  if (batch.empty()) {
    done(std::vector<events::log_position>{});
    return nullptr;
  }
  auto entry = std::make_shared<pending>(
    this, std::move(target), std::move(batch), at, std::move(done),
    options_.metrics ? std::chrono::steady_clock::now()
                     : std::chrono::steady_clock::time_point{});
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_) {
      entry->target->refuse(
        entry->done,
        error{errc::rejected, "the partition writer is shutting down"});
      return nullptr;
    }
    queued_events_ += entry->batch.size();
    queue_.push_back(entry);
  }
  cv_.notify_one();
  return entry;
}

bool group_commit::extend(const open_append_ptr& open,
                          std::vector<events::event_envelope>& more) {
  auto* entry = dynamic_cast<pending*>(open.get());
  if (entry == nullptr || entry->owner != this)
    return false;
  if (more.empty())
    return true;
  bool full = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (entry->taken || stopping_
        || entry->batch.size() + more.size() > options_.max_events)
      return false;
    entry->batch.insert(entry->batch.end(),
                        std::make_move_iterator(more.begin()),
                        std::make_move_iterator(more.end()));
    queued_events_ += more.size();
    full = queued_events_ >= options_.max_events;
  }
  more.clear();
  if (full)
    cv_.notify_one(); // the linger ends at the bound
  return true;
}

void group_commit::run() {
  std::unique_lock<std::mutex> lock{mtx_};
  for (;;) {
    cv_.wait(lock, [this] {
      return stopping_ || !queue_.empty();
    });
    if (queue_.empty())
      return; // stopping, and everything queued has been committed
    auto linger = options_.linger_after(last_group_events_);
    if (linger.count() > 0 && queued_events_ < options_.max_events
        && !stopping_) {
      auto deadline = std::chrono::steady_clock::now() + linger;
      cv_.wait_until(lock, deadline, [this] {
        return stopping_ || queued_events_ >= options_.max_events;
      });
    }
    if (options_.metrics)
      options_.metrics->queued->observe(
        seconds_since(queue_.front()->queued_at));
    std::vector<pending_ptr> group;
    std::size_t events = 0;
    while (
      !queue_.empty()
      && (group.empty()
          || events + queue_.front()->batch.size() <= options_.max_events)) {
      events += queue_.front()->batch.size();
      queue_.front()->taken = true; // no extend() from here on
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    queued_events_ -= events;
    last_group_events_ = events;
    lock.unlock();
    commit_group(group);
    lock.lock();
  }
}

/// Commit thread: appends of an epoch some append failed after are refused
/// without being written; the rest are committed, and every one of them
/// that fails moves its target's epoch on (before the next group is made,
/// so the appends queued behind it see that).
void group_commit::commit_group(std::vector<pending_ptr>& group) {
  std::vector<append_result> results(group.size(),
                                     append_result{error{errc::rejected, ""}});
  std::vector<commit_item> items;
  std::vector<std::size_t> index;
  items.reserve(group.size());
  for (std::size_t i = 0; i < group.size(); ++i) {
    auto& p = *group[i];
    if (p.at != p.target->epoch()) {
      results[i]
        = error{errc::rejected, "an earlier append to " + p.target->where.text()
                                  + " failed, and this one was made after it"};
      continue;
    }
    items.push_back({*p.target, p.batch});
    index.push_back(i);
  }
  if (!items.empty()) {
    auto started = std::chrono::steady_clock::now();
    auto committed = commit_(items);
    if (options_.metrics)
      options_.metrics->commit->observe(seconds_since(started));
    MOIM_VASSERT(committed.size() == items.size(),
                 "a group commit of %zu appends answered %zu results",
                 items.size(), committed.size());
    std::size_t events = 0;
    for (std::size_t j = 0; j < items.size(); ++j) {
      if (committed[j])
        events += items[j].events.size();
      else
        group[index[j]]->target->failures.fetch_add(1);
      results[index[j]] = std::move(committed[j]);
    }
    if (options_.metrics)
      options_.metrics->events->observe(static_cast<double>(events));
    if (events > 0) {
      commits_.fetch_add(1, std::memory_order_relaxed);
      events_.fetch_add(events, std::memory_order_relaxed);
    }
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    group[i]->done(std::move(results[i]));
    group[i]->done = nullptr; // what it holds goes now, not with the handle
  }
}

write_target_ptr member_targets::claim(const topic_partition& where) {
  auto target = std::make_shared<write_target>(where);
  std::lock_guard<std::mutex> guard{mtx_};
  auto& slot = targets_[where];
  if (slot)
    slot->released = true;
  slot = target;
  return target;
}

void member_targets::release(const std::vector<topic_partition>& partitions) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (const auto& tp : partitions) {
    auto found = targets_.find(tp);
    if (found == targets_.end())
      continue;
    found->second->released = true;
    targets_.erase(found);
  }
}

void member_targets::release_all() {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [tp, target] : targets_)
    target->released = true;
  targets_.clear();
}

std::vector<append_result>
split_positions(const std::vector<commit_item>& group,
                result<std::vector<events::log_position>> positions) {
  std::vector<append_result> out;
  out.reserve(group.size());
  if (!positions) {
    for (std::size_t i = 0; i < group.size(); ++i)
      out.emplace_back(positions.err());
    return out;
  }
  auto it = positions->begin();
  for (const auto& item : group) {
    auto n = static_cast<std::ptrdiff_t>(item.events.size());
    out.emplace_back(std::vector<events::log_position>(it, it + n));
    it += n;
  }
  return out;
}

} // namespace moim::infra
