#pragma once

#include "actors/hosting/messages.hpp"
#include "actors/hosting/partition_host.hpp"
#include "actors/hosting/restore.hpp"

#include <caf/actor_system.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace moim::actors {

/// The write side of one node: the partitions it hosts and their hosts.
/// assign() and revoke() block (restore, final checkpoint): call them from
/// the thread that follows the consumer group, not from an actor.
class write_side {
public:
  write_side(caf::actor_system& sys, infra::event_log& log,
             std::shared_ptr<infra::state_store> store, host_options options);

  /// Revokes every hosted partition.
  ~write_side();

  write_side(const write_side&) = delete;
  write_side& operator=(const write_side&) = delete;

  /// Becomes the partition's writer (fencing any older one), restores its
  /// state from checkpoint and tail, and starts its host.
  [[nodiscard]] infra::result<restore_report>
  assign(const infra::topic_partition& where);

  /// Stops taking commands for the partition, finishes what is in flight,
  /// checkpoints and lets go. False if the final checkpoint failed.
  bool revoke(const infra::topic_partition& where);

  /// The host of the aggregate's partition; `not_owner_node` (retryable)
  /// when this node does not host it.
  [[nodiscard]] events::expected<partition_host_actor, rejection>
  route(events::aggregate_kind kind, const std::string& aggregate) const;

  [[nodiscard]] std::vector<infra::topic_partition> assigned() const;

  [[nodiscard]] infra::event_log& log() noexcept {
    return log_;
  }

private:
  caf::actor_system& sys_;
  infra::event_log& log_;
  std::shared_ptr<infra::state_store> store_;
  state_io_actor io_;
  host_options options_;
  mutable std::mutex mtx_;
  std::map<infra::topic_partition, partition_host_actor> hosts_;
};

/// Sends `cmd` through `ws` and waits for the reply (for tools and tests;
/// actors use request() on the routed host).
[[nodiscard]] command_reply send_command(caf::actor_system& sys,
                                         const write_side& ws,
                                         command_envelope cmd);

} // namespace moim::actors
