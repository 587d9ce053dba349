#pragma once

#include "infra/log/event_log.hpp"

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace moim::actors {

/// Follows a consumer group on a thread of its own, for the write side:
/// assignments are queued by the rebalance callback and restored after it
/// returns (restoring may take long; the group's heartbeats go on
/// meanwhile), revocations are handled inside it (the final checkpoint
/// must precede the next owner), lost partitions apart. The member fetches
/// no records: hosts read their own tails.
class group_membership {
public:
  struct handlers {
    /// `sub` opens the partition's writer (group_subscription::open_writer).
    std::function<void(const infra::topic_partition&,
                       infra::group_subscription& sub)>
      assign;
    std::function<void(const infra::topic_partition&)> revoke;
    std::function<void(const infra::topic_partition&)> lose;
    std::function<void()> first_assignment_done;
  };

  group_membership(infra::event_log& log, std::string group,
                   std::vector<std::string> topics,
                   infra::subscription_options options, handlers h);

  /// Leaves the group: its revocations run first.
  ~group_membership();

  group_membership(const group_membership&) = delete;
  group_membership& operator=(const group_membership&) = delete;

private:
  void run();

  infra::event_log& log_;
  std::string group_;
  std::vector<std::string> topics_;
  infra::subscription_options options_;
  handlers handlers_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace moim::actors
