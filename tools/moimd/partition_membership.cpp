#include "tools/moimd/partition_membership.hpp"

#include "infra/log/topics.hpp"

#include <spdlog/spdlog.h>

namespace moim::moimd {

partition_membership::partition_membership(actors::write_side& ws,
                                           std::string group)
  : ws_(ws), group_(std::move(group)) {
  thread_ = std::thread{[this] {
    run();
  }};
}

partition_membership::~partition_membership() {
  stop_ = true;
  thread_.join();
}

void partition_membership::run() {
  infra::rebalance_listener listener{
    [this](const std::vector<infra::topic_partition>& tps) {
      for (const auto& tp : tps)
        if (auto r = ws_.assign(tp); !r)
          spdlog::error("cannot host {}: {}", tp.text(), r.err().message);
      ready_ = true;
    },
    [this](const std::vector<infra::topic_partition>& tps) {
      for (const auto& tp : tps)
        if (!ws_.revoke(tp))
          spdlog::error("the final checkpoint of {} failed", tp.text());
    }};
  std::vector<std::string> topics;
  for (auto kind : {events::aggregate_kind::user, events::aggregate_kind::room,
                    events::aggregate_kind::schedule})
    topics.push_back(infra::topic_of(kind));
  auto sub = ws_.log().subscribe(group_, topics, listener);
  if (!sub) {
    spdlog::critical("cannot join the write-side group {}: {}", group_,
                     sub.err().message);
    return;
  }
  // The group assigns partitions; the records fetched along the way are not
  // needed here (hosts read their tails themselves) and are dropped.
  while (!stop_)
    if (auto polled = (*sub)->poll(std::chrono::milliseconds{200}); !polled)
      spdlog::warn("write-side group: {}", polled.err().message);
  sub->reset(); // leaves the group; revocations run here
}

} // namespace moim::moimd
