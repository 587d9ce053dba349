#pragma once

#include "actors/hosting/messages.hpp"
#include "actors/hosting/state_io.hpp"

#include <caf/actor_system.hpp>

#include <functional>
#include <memory>

namespace moim::actors {

/// Bumped whenever the snapshot format changes: older checkpoints are then
/// not trusted and the partition is rebuilt from the log.
constexpr int checkpoint_schema_version = 1;

struct host_options {
  std::size_t max_live_aggregates = 10000; ///< per partition; LRU passivated
  /// An aggregate's batches appended and not yet answered by the log, at
  /// most: with more than one, commands that come while a batch commits
  /// go into the next commit instead of waiting for the answer (lower
  /// latency under light load; more, smaller batches, so more work per
  /// message, once the machine is busy).
  std::size_t batches_in_flight = 1;
  std::chrono::milliseconds checkpoint_interval{250};
  /// How often a live aggregate that holds the checkpoint back is asked
  /// for a snapshot: a snapshot serializes its whole state, and a restore
  /// replays at most about this much of the log.
  std::chrono::milliseconds snapshot_interval{30000};
  /// Told of every batch the log took, in each aggregate's order.
  std::shared_ptr<const std::vector<committed_listener>> listeners;
};

/// Spawns the host of `where` (after restore_partition). `start_offset` is
/// the offset its state store reflects.
[[nodiscard]] partition_host_actor spawn_partition_host(
  caf::actor_system& sys, infra::topic_partition where,
  events::aggregate_kind kind, std::shared_ptr<infra::partition_writer> writer,
  state_io_actor io, std::int64_t start_offset, host_options options);

} // namespace moim::actors
