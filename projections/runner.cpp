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
  : log_(log), projection_(std::move(p)), options_(options) {
  // nop
}

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
  std::mt19937_64 rng{std::random_device{}()};
  int attempt = 0;
  auto fail = [this](const std::string& what) {
    std::lock_guard<std::mutex> guard{mtx_};
    status_.state = "retrying";
    status_.last_error = what;
    ++status_.failures;
  };
  auto pause = [&] {
    auto until = clock_type::now() + backoff(options_, attempt++, rng);
    while (!stopping_ && clock_type::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
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
      for (;;) {
        auto started = clock_type::now();
        auto outcome = projection_->apply(pending);
        if (outcome) {
          attempt = 0;
          if (*outcome == applied::moved_on) {
            spdlog::info("projection {}: another runner moved a checkpoint "
                         "on; reloading",
                         name());
            reload = true;
          } else {
            published(pending,
                      std::chrono::duration<double>(clock_type::now() - started)
                        .count());
          }
          break;
        }
        spdlog::warn("projection {}: {} (retrying)", name(),
                     outcome.err().message);
        fail(outcome.err().message);
        pause();
        if (stopping_)
          break; // read again from the store's checkpoints next time
      }
      pending = {};
    }
  }
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
