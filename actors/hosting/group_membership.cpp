#include "actors/hosting/group_membership.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace moim::actors {

group_membership::group_membership(infra::event_log& log, std::string group,
                                   std::vector<std::string> topics,
                                   infra::subscription_options options,
                                   handlers h)
  : log_(log), group_(std::move(group)), topics_(std::move(topics)),
    options_(std::move(options)), handlers_(std::move(h)) {
  thread_ = std::thread{[this] {
    run();
  }};
}

group_membership::~group_membership() {
  stop_ = true;
  thread_.join();
}

void group_membership::run() {
  std::vector<infra::topic_partition> to_assign;
  bool first = true;
  bool assignment_seen = false; // possibly empty (more nodes than partitions)
  infra::rebalance_listener listener{
    [&to_assign,
     &assignment_seen](const std::vector<infra::topic_partition>& tps) {
      assignment_seen = true;
      to_assign.insert(to_assign.end(), tps.begin(), tps.end());
    },
    [this, &to_assign](const std::vector<infra::topic_partition>& tps) {
      for (const auto& tp : tps) {
        auto queued = std::find(to_assign.begin(), to_assign.end(), tp);
        if (queued != to_assign.end())
          to_assign.erase(queued); // never hosted: nothing to give back
        else
          handlers_.revoke(tp);
      }
    },
    [this, &to_assign](const std::vector<infra::topic_partition>& tps) {
      for (const auto& tp : tps) {
        auto queued = std::find(to_assign.begin(), to_assign.end(), tp);
        if (queued != to_assign.end())
          to_assign.erase(queued);
        else
          handlers_.lose(tp);
      }
    }};
  auto sub = log_.subscribe(group_, topics_, listener, options_);
  if (!sub) {
    spdlog::critical("cannot join the write-side group {}: {}", group_,
                     sub.err().message);
    return;
  }
  while (!stop_) {
    if (auto polled = (*sub)->poll(std::chrono::milliseconds{100}); !polled)
      spdlog::warn("write-side group: {}", polled.err().message);
    // Outside the rebalance callback: restore what was assigned.
    auto batch = std::move(to_assign);
    to_assign.clear();
    for (const auto& tp : batch) {
      if (stop_)
        break;
      handlers_.assign(tp, **sub);
    }
    if (first && assignment_seen && !stop_) {
      first = false;
      handlers_.first_assignment_done();
    }
  }
  sub->reset(); // leaves the group; revocations run here
}

} // namespace moim::actors
