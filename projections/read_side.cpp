#include "projections/read_side.hpp"

#include "infra/log/topics.hpp"
#include "projections/postgres/postgres_projection.hpp"
#include "projections/postgres/read_model.hpp"
#include "projections/redis/presence.hpp"
#include "projections/redis/redis_projection.hpp"
#include "projections/redis/redis_read_model.hpp"
#include "projections/search/search_projection.hpp"
#include "projections/search/search_read_model.hpp"

#include <algorithm>
#include <thread>

namespace moim::projections {

infra::result<std::unique_ptr<read_side>>
read_side::open(infra::event_log& log, read_side_options options) {
  std::vector<std::string> synonyms;
  if (!options.search_url.empty() && !options.synonyms_file.empty()) {
    auto loaded = load_synonyms(options.synonyms_file);
    if (!loaded)
      return loaded.err();
    synonyms = std::move(*loaded);
  }
  std::unique_ptr<read_side> side{new read_side(log, std::move(options))};
  const auto& o = side->options_;
  // The runner's projection and another of the same store for reading
  // checkpoints: each has its own connection.
  auto add = [&](const std::function<std::shared_ptr<projection>()>& make) {
    auto reader = std::make_unique<checkpoint_reader>();
    reader->store = make();
    reader->topics = reader->store->topics();
    auto name = reader->store->name();
    side->readers_[name] = std::move(reader);
    if (o.run) {
      auto run = o.runner;
      run.dead_letter_topic = infra::dead_letter_topic(name);
      side->runners_.push_back(
        std::make_unique<projection_runner>(log, make(), run));
    }
  };
  if (!o.postgres_url.empty()) {
    add([&] {
      return std::make_shared<postgres_projection>(postgres_projection_options{
        o.postgres_url, "postgres", o.store_timeout, {}, {}});
    });
    side->postgres_
      = std::make_shared<postgres_read_model>(o.postgres_url, o.store_timeout);
  }
  if (!o.search_url.empty()) {
    search_layout layout{o.search_url, o.search_prefix, synonyms,
                         o.store_timeout};
    add([&] {
      return std::make_shared<search_projection>(
        search_projection_options{layout, "search", {}});
    });
    side->search_ = std::make_shared<search_read_model>(layout);
  }
  if (!o.redis_url.empty()) {
    add([&] {
      return std::make_shared<redis_projection>(redis_projection_options{
        o.redis_url, "redis", o.redis_prefix, o.store_timeout, {}});
    });
    side->redis_ = std::make_shared<redis_read_model>(
      o.redis_url, o.redis_prefix, o.store_timeout);
    side->presence_
      = std::make_shared<redis_presence>(o.redis_url, o.redis_prefix);
  }
  return side;
}

read_side::read_side(infra::event_log&, read_side_options options)
  : options_(std::move(options)) {
  // nop
}

read_side::~read_side() {
  stop();
}

void read_side::start() {
  for (auto& r : runners_)
    r->start();
  if (presence_)
    presence_->start();
}

void read_side::stop() {
  for (auto& r : runners_)
    r->stop();
  if (presence_)
    presence_->stop();
}

void read_side::add_metrics(infra::metrics_registry& metrics) const {
  for (const auto& r : runners_)
    r->add_metrics(metrics);
}

std::vector<infra::dependency_check> read_side::checks() const {
  std::vector<infra::dependency_check> out;
  for (const auto& r : runners_)
    out.push_back({"projection " + r->name(), true, false,
                   [runner = r.get()](std::chrono::milliseconds) {
                     auto s = runner->status();
                     if (s.state == "running")
                       return std::optional<std::string>{};
                     return std::optional<std::string>{
                       s.state
                       + (s.last_error.empty() ? "" : ": " + s.last_error)};
                   }});
  return out;
}

std::shared_ptr<postgres_read_model> read_side::postgres() const {
  return postgres_;
}

std::shared_ptr<redis_read_model> read_side::redis() const {
  return redis_;
}

std::shared_ptr<redis_presence> read_side::presence() const {
  return presence_;
}

std::shared_ptr<search_read_model> read_side::search() const {
  return search_;
}

read_side::wait_outcome read_side::wait_for(const std::string& projection,
                                            const log_point& point) const {
  auto reader = readers_.find(projection);
  if (reader == readers_.end())
    return wait_outcome::unknown;
  const auto& topics = reader->second->topics;
  if (std::find(topics.begin(), topics.end(), point.where.topic)
      == topics.end())
    return wait_outcome::applied; // it reads nothing of that topic
  // On this node's runner while it holds the partition (it may be moved
  // to another node meanwhile), else on the store's checkpoint.
  const projection_runner* runner = nullptr;
  for (const auto& r : runners_)
    if (r->name() == projection)
      runner = r.get();
  auto until = std::chrono::steady_clock::now() + options_.wait_limit;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
    if (runner != nullptr && runner->status().positions.count(point.where)) {
      if (runner->wait_for(point.where, point.offset,
                           std::min(left, std::chrono::milliseconds{200})))
        return wait_outcome::applied;
    } else {
      std::lock_guard<std::mutex> guard{reader->second->mtx};
      if (auto held = reader->second->store->load_checkpoints()) {
        auto found = held->find(point.where);
        if (found != held->end()
            && found->second.value() > point.offset.value())
          return wait_outcome::applied;
      }
    }
    if (std::chrono::steady_clock::now() >= until)
      return wait_outcome::behind;
    if (runner == nullptr || !runner->status().positions.count(point.where))
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

} // namespace moim::projections
