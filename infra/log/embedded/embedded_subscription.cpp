#include "infra/log/embedded/embedded_subscription.hpp"

#include "infra/log/embedded/embedded_writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace moim::infra {

embedded_subscription::embedded_subscription(
  std::shared_ptr<embedded_log::state> st, std::string group,
  std::vector<std::string> topics, rebalance_listener listener,
  subscription_options options)
  : state_(std::move(st)), group_(std::move(group)), topics_(std::move(topics)),
    listener_(std::move(listener)), fetch_records_(options.fetch_records),
    bad_records_(options.bad_records == bad_record_policy::deliver
                   ? bad_record_policy::deliver
                   : bad_record_policy::skip),
    start_at_(std::move(options.start_at)) {
  std::lock_guard<std::mutex> guard{state_->mtx};
  member_ = state_->next_member++;
  auto& g = state_->groups[group_];
  g.members.push_back(member_);
  ++g.generation;
}

embedded_subscription::~embedded_subscription() {
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    auto& g = state_->groups[group_];
    g.members.erase(std::remove(g.members.begin(), g.members.end(), member_),
                    g.members.end());
    ++g.generation;
  }
  std::vector<topic_partition> lost;
  for (const auto& [tp, offset] : positions_)
    lost.push_back(tp);
  if (!lost.empty() && listener_.revoked)
    listener_.revoked(lost);
  writers_.release_all();
}

void embedded_subscription::rebalance() {
  std::vector<topic_partition> wanted;
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    const auto& g = state_->groups[group_];
    if (g.generation == seen_generation_)
      return;
    seen_generation_ = g.generation;
    auto me = std::find(g.members.begin(), g.members.end(), member_)
              - g.members.begin();
    auto n = static_cast<std::ptrdiff_t>(g.members.size());
    std::ptrdiff_t index = 0;
    for (const auto& topic : topics_)
      for (int p = 0; p < state_->options.topics.at(topic); ++p, ++index)
        if (index % n == me)
          wanted.push_back({topic, events::partition_id{p}});
  }
  std::vector<topic_partition> lost;
  for (const auto& [tp, offset] : positions_)
    if (std::find(wanted.begin(), wanted.end(), tp) == wanted.end())
      lost.push_back(tp);
  std::vector<topic_partition> gained;
  for (const auto& tp : wanted)
    if (positions_.count(tp) == 0)
      gained.push_back(tp);
  if (!lost.empty()) {
    if (listener_.revoked)
      listener_.revoked(lost);
    writers_.release(lost);
    for (const auto& tp : lost)
      positions_.erase(tp);
  }
  for (const auto& tp : gained)
    positions_[tp] = start_at_ ? start_at_(tp).value() : 0;
  if (!gained.empty() && listener_.assigned)
    listener_.assigned(gained);
}

result<std::vector<log_record>>
embedded_subscription::poll(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    rebalance();
    std::vector<log_record> out;
    for (auto& [tp, next] : positions_) {
      if (!fetch_records_)
        break;
      auto batch = read_partition(*state_, tp, events::log_offset{next}, 500,
                                  bad_records_);
      if (!batch)
        return batch.err();
      for (const auto& bad : batch->skipped)
        spdlog::warn("skipping a bad record: {}", bad.text());
      next = batch->next.value();
      for (auto& r : batch->records)
        out.push_back(std::move(r));
    }
    if (!out.empty() || std::chrono::steady_clock::now() >= deadline)
      return out;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

std::vector<topic_partition> embedded_subscription::assignment() const {
  std::vector<topic_partition> out;
  for (const auto& [tp, offset] : positions_)
    out.push_back(tp);
  return out;
}

} // namespace moim::infra

namespace moim::infra {

result<std::unique_ptr<partition_writer>>
embedded_subscription::open_writer(const topic_partition& where) {
  if (positions_.count(where) == 0)
    return error{errc::rejected,
                 where.text() + " is not assigned to this member of " + group_};
  return open_embedded_writer(state_, writers_.claim(where));
}

} // namespace moim::infra
