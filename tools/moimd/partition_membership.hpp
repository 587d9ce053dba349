#pragma once

#include "actors/hosting/write_side.hpp"

#include <atomic>
#include <string>
#include <thread>

namespace moim::moimd {

/// Follows the consumer group of the write side on a thread of its own:
/// partitions assigned to this node are restored and hosted, revoked ones
/// are checkpointed and let go. More nodes in the same group share the
/// partitions; Kafka moves them when a node comes or goes.
class partition_membership {
public:
  partition_membership(actors::write_side& ws, std::string group);

  /// Leaves the group: every hosted partition is revoked first.
  ~partition_membership();

  /// Whether this node has received and hosted its first assignment.
  [[nodiscard]] bool ready() const noexcept {
    return ready_;
  }

  partition_membership(const partition_membership&) = delete;
  partition_membership& operator=(const partition_membership&) = delete;

private:
  void run();

  actors::write_side& ws_;
  std::string group_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  std::thread thread_;
};

} // namespace moim::moimd
