#include "projections/runner.hpp"

#include "infra/metrics/registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <set>

namespace moim::projections {

namespace {

using clock_type = std::chrono::steady_clock;

/// Exponential backoff with jitter: half the step, plus up to the other
/// half at random, so that runners of many nodes do not retry in step.
std::chrono::milliseconds backoff(const runner_options& o, int attempt,
                                  std::mt19937_64& rng) {
  auto step = o.min_backoff.count() << std::min(attempt, 16);
  step = std::min<long long>(step, o.max_backoff.count());
  std::uniform_int_distribution<long long> extra{0, step / 2};
  return std::chrono::milliseconds{step / 2 + extra(rng)};
}

} // namespace

projection_runner::projection_runner(infra::event_log& log,
                                     std::shared_ptr<projection> p,
                                     runner_options options)
  : log_(log), projection_(std::move(p)), options_(std::move(options)) {
  if (!options_.dead_letter_topic.empty())
    dead_ = std::make_unique<dead_letters>(log_, projection_->name(),
                                           options_.dead_letter_topic);
}

/// The backoff of a runner's retries: its attempt count and random source,
/// and how a failure is recorded.
struct projection_runner::retry_state {
  projection_runner& self;
  std::mt19937_64 rng{std::random_device{}()};
  int attempt = 0;

  void fail(const std::string& what) {
    std::lock_guard<std::mutex> guard{self.mtx_};
    self.status_.state = "retrying";
    self.status_.last_error = what;
    ++self.status_.failures;
  }
  void pause() {
    auto until = clock_type::now() + backoff(self.options_, attempt++, rng);
    while (!self.stopping_ && clock_type::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
};

projection_runner::~projection_runner() {
  stop();
}

void projection_runner::start() {
  if (thread_.joinable())
    return;
  stopping_ = false;
  thread_ = std::thread{[this] {
    run();
  }};
}

void projection_runner::stop() {
  stopping_ = true;
  applied_.notify_all();
  if (thread_.joinable())
    thread_.join();
  std::lock_guard<std::mutex> guard{mtx_};
  status_.state = "stopped";
}

const std::string& projection_runner::name() const {
  return projection_->name();
}

std::vector<std::string> projection_runner::topics() const {
  return projection_->topics();
}

runner_status projection_runner::status() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return status_;
}

void projection_runner::add_metrics(infra::metrics_registry& metrics) const {
  infra::metrics_registry::labels labels{{"projection", name()}};
  auto gauge = [&](const char* metric, const char* help, auto read) {
    metrics.add_gauge(
      metric, help,
      [this, read] {
        auto s = status();
        return static_cast<double>(read(s));
      },
      labels);
  };
  gauge("moim_projection_events_total", "records applied since start",
        [](const runner_status& s) {
          return s.events;
        });
  gauge("moim_projection_batches_total", "batches applied since start",
        [](const runner_status& s) {
          return s.batches;
        });
  gauge("moim_projection_failures_total",
        "failed attempts to apply a batch (each retried)",
        [](const runner_status& s) {
          return s.failures;
        });
  gauge("moim_projection_lag_records",
        "records of its partitions not applied yet (as of the last look at "
        "the log's end, every 2 s)",
        [](const runner_status& s) {
          std::int64_t lag = 0;
          for (const auto& [tp, end] : s.ends) {
            auto at = s.positions.find(tp);
            auto applied = at == s.positions.end() ? 0 : at->second.value();
            lag += std::max<std::int64_t>(0, end.value() - applied);
          }
          return lag;
        });
  metrics.add_gauge_set(
    "moim_projection_partition_lag_records",
    "records of a partition this node's runner holds not applied yet (as of "
    "the last look at the log's end)",
    [this] {
      auto s = status();
      infra::metrics_registry::samples out;
      for (const auto& [tp, end] : s.ends) {
        auto at = s.positions.find(tp);
        auto applied = at == s.positions.end() ? 0 : at->second.value();
        out.push_back({{{"projection", name()},
                        {"topic", tp.topic},
                        {"partition", std::to_string(tp.partition.value())}},
                       static_cast<double>(
                         std::max<std::int64_t>(0, end.value() - applied))});
      }
      return out;
    });
  gauge("moim_projection_parked_total",
        "records parked on the dead-letter topic since start",
        [](const runner_status& s) {
          return s.parked;
        });
  gauge("moim_projection_last_batch_seconds",
        "how long applying the last batch took", [](const runner_status& s) {
          return s.last_batch_seconds;
        });
  gauge("moim_projection_running", "1 while it applies, 0 while it retries",
        [](const runner_status& s) {
          return s.state == "running" ? 1 : 0;
        });
}

bool projection_runner::wait_for(const infra::topic_partition& where,
                                 events::log_offset offset,
                                 std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock{mtx_};
  return applied_.wait_for(lock, timeout, [&] {
    auto found = status_.positions.find(where);
    return stopping_
           || (found != status_.positions.end()
               && found->second.value() > offset.value());
  }) && !stopping_;
}

void projection_runner::run() {
  const auto group = "moim-projection-" + projection_->name();
  retry_state retry{*this};
  auto fail = [&](const std::string& what) {
    retry.fail(what);
  };
  auto pause = [&] {
    retry.pause();
  };
  while (!stopping_) {
    auto loaded = projection_->load_checkpoints();
    if (!loaded) {
      spdlog::warn("projection {}: {}", name(), loaded.err().message);
      fail(loaded.err().message);
      pause();
      continue;
    }
    known_ = std::move(*loaded);
    reload_ = false;
    if (dead_) {
      // Aggregates parked before stay parked: their later events too.
      auto parked = dead_->load();
      if (!parked) {
        fail("dead letters: " + parked.err().message);
        pause();
        continue;
      }
      parked_ = std::move(*parked);
    }
    std::set<infra::topic_partition> held;
    batch pending;
    clock_type::time_point first{};
    auto let_go = [&](const std::vector<infra::topic_partition>& tps) {
      for (const auto& tp : tps)
        held.erase(tp);
      auto& rs = pending.records;
      rs.erase(std::remove_if(
                 rs.begin(), rs.end(),
                 [&](const infra::log_record& r) {
                   return held.count({r.topic, r.position.partition}) == 0;
                 }),
               rs.end());
      std::lock_guard<std::mutex> guard{mtx_};
      for (const auto& tp : tps) {
        status_.positions.erase(tp);
        status_.ends.erase(tp);
      }
    };
    infra::rebalance_listener listener{
      [&](const std::vector<infra::topic_partition>& tps) {
        held.insert(tps.begin(), tps.end());
        reload_ = true; // a later assignment reads the store again
        std::lock_guard<std::mutex> guard{mtx_};
        for (const auto& tp : tps) {
          auto found = known_.find(tp);
          status_.positions[tp]
            = found == known_.end() ? events::log_offset{0} : found->second;
        }
      },
      let_go, let_go};
    infra::subscription_options options;
    options.instance_id = options_.instance_id;
    options.session_timeout = options_.session_timeout;
    if (dead_)
      options.bad_records = infra::bad_record_policy::deliver;
    options.start_at = [this](const infra::topic_partition& where) {
      if (reload_) {
        if (auto l = projection_->load_checkpoints())
          known_ = std::move(*l);
        reload_ = false;
      }
      auto found = known_.find(where);
      return found == known_.end() ? events::log_offset{0} : found->second;
    };
    auto sub = log_.subscribe(group, projection_->topics(), listener, options);
    if (!sub) {
      fail(sub.err().message);
      pause();
      continue;
    }
    {
      std::lock_guard<std::mutex> guard{mtx_};
      status_.state = "running";
    }
    auto looked_at_ends = clock_type::now() - std::chrono::hours{1};
    bool reload = false;
    while (!stopping_ && !reload) {
      auto got = (*sub)->poll(options_.linger);
      if (!got) {
        fail(got.err().message);
        pause();
        continue;
      }
      for (auto& r : *got) {
        if (pending.records.empty())
          first = clock_type::now();
        pending.records.push_back(std::move(r));
      }
      auto now = clock_type::now();
      if (now - looked_at_ends > std::chrono::seconds{2}) {
        looked_at_ends = now;
        checkpoints ends;
        for (const auto& tp : held)
          if (auto end = log_.end_offset(tp))
            ends[tp] = *end;
        std::lock_guard<std::mutex> guard{mtx_};
        status_.ends = std::move(ends);
      }
      if (pending.records.empty()
          || (pending.records.size() < options_.max_batch
              && now - first < options_.linger))
        continue;
      pending.ranges.clear();
      for (const auto& r : pending.records) {
        infra::topic_partition tp{r.topic, r.position.partition};
        auto found = known_.find(tp);
        auto& range = pending.ranges[tp];
        range.from
          = found == known_.end() ? events::log_offset{0} : found->second;
        range.next = events::log_offset{r.position.offset.value() + 1};
      }
      auto done = outcome::done;
      if (!dead_) {
        done = apply_retrying(pending, retry);
      } else {
        // Parked aggregates' records, and undecodable ones, are parked;
        // the checkpoints still move past them.
        batch kept{{}, pending.ranges};
        for (auto& r : pending.records) {
          if (r.undecodable) {
            if (!park(r, "undecodable: " + r.undecodable->text(), retry))
              break;
            parked_.insert(parked_key(r));
          } else if (parked_.count(parked_key(r)) != 0) {
            if (!park(r, "behind a parked event of the same aggregate", retry))
              break;
          } else {
            kept.records.push_back(r);
          }
        }
        done = stopping_ ? outcome::stopping : apply_retrying(kept, retry);
        if (done == outcome::poison)
          done = isolate(kept, retry);
      }
      if (done == outcome::moved_on)
        reload = true;
      pending = {};
    }
  }
}

projection_runner::outcome
projection_runner::apply_retrying(const batch& b, retry_state& retry) {
  int refused = 0;
  for (;;) {
    auto started = clock_type::now();
    auto result = projection_->apply(b);
    if (result) {
      retry.attempt = 0;
      if (*result == applied::moved_on) {
        spdlog::info("projection {}: another runner moved a checkpoint on; "
                     "reloading",
                     name());
        return outcome::moved_on;
      }
      published(
        b, std::chrono::duration<double>(clock_type::now() - started).count());
      return outcome::done;
    }
    spdlog::warn("projection {}: {} (retrying)", name(), result.err().message);
    retry.fail(result.err().message);
    // A store that is down is waited for; one that refuses the batch may
    // be refusing a poison record.
    if (!result.err().retryable() && dead_
        && ++refused >= options_.poison_after)
      return outcome::poison;
    retry.pause();
    if (stopping_)
      return outcome::stopping; // read again from the checkpoints next time
  }
}

bool projection_runner::park(const infra::log_record& r,
                             const std::string& reason, retry_state& retry) {
  while (!stopping_) {
    auto failed = dead_->park(r, reason);
    if (!failed) {
      spdlog::error(
        "projection {}: parked {}@{} ({}) on {}: {}", name(),
        infra::topic_partition{r.topic, r.position.partition}.text(),
        r.position.offset.value(), r.stored.aggregate.value(), dead_->topic(),
        reason);
      std::lock_guard<std::mutex> guard{mtx_};
      ++status_.parked;
      return true;
    }
    retry.fail("dead letters: " + failed->message);
    retry.pause();
  }
  return false;
}

projection_runner::outcome projection_runner::isolate(const batch& pending,
                                                      retry_state& retry) {
  spdlog::warn("projection {}: the store refuses a batch of {}; applying it "
               "record by record",
               name(), pending.records.size());
  for (std::size_t i = 0; i < pending.records.size(); ++i) {
    const auto& r = pending.records[i];
    infra::topic_partition tp{r.topic, r.position.partition};
    auto found = known_.find(tp);
    auto from = found == known_.end() ? events::log_offset{0} : found->second;
    batch one{{}, {}};
    one.ranges[tp] = {from, events::log_offset{r.position.offset.value() + 1}};
    if (parked_.count(parked_key(r)) != 0) {
      if (!park(r, "behind a parked event of the same aggregate", retry))
        return outcome::stopping;
    } else {
      one.records.push_back(r);
    }
    auto done = apply_retrying(one, retry);
    if (done == outcome::poison) {
      // A store that refuses even a batch of nothing is failing, and the
      // record is not to blame: wait, and try the record again.
      batch nothing{{}, {}};
      nothing.ranges[tp] = {from, from};
      if (auto probe = projection_->apply(nothing); !probe) {
        retry.fail(probe.err().message);
        retry.pause();
        if (stopping_)
          return outcome::stopping;
        --i; // unsigned wrap-around at 0 is undone by ++i
        continue;
      }
      const auto reason = status().last_error;
      if (!park(r, "refused by the store: " + reason, retry))
        return outcome::stopping;
      parked_.insert(parked_key(r));
      one.records.clear();
      done = apply_retrying(one, retry); // the checkpoint moves past it
    }
    if (done != outcome::done)
      return done;
  }
  // Whatever remains of the batch's ranges (records parked before it, at
  // the end of a partition's range).
  batch rest{{}, {}};
  for (const auto& [tp, range] : pending.ranges) {
    auto at = known_.find(tp);
    if (at == known_.end() || at->second.value() < range.next.value())
      rest.ranges[tp]
        = {at == known_.end() ? events::log_offset{0} : at->second, range.next};
  }
  return rest.ranges.empty() ? outcome::done : apply_retrying(rest, retry);
}

void projection_runner::published(const batch& b, double seconds) {
  for (const auto& [tp, range] : b.ranges)
    known_[tp] = range.next;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    status_.state = "running";
    status_.last_error.clear();
    status_.events += b.records.size();
    ++status_.batches;
    status_.last_batch_seconds = seconds;
    for (const auto& [tp, range] : b.ranges)
      status_.positions[tp] = range.next;
  }
  applied_.notify_all();
}

} // namespace moim::projections
