#pragma once

// The write side's public API: the one header its callers (the gateway,
// the saga coordinator, tools) include. Commands and typed queries go to
// an aggregate's port (route); committed events reach every registered
// listener (subscribe_committed); the node's partitions follow the write
// side's consumer group (start/stop) or are assigned by hand (tests, tools).

#include "actors/committed.hpp"
#include "actors/port.hpp"
#include "infra/log/event_log.hpp"
#include "infra/state/state_store.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace moim::infra {
class metrics_registry;
} // namespace moim::infra

namespace moim::actors {

struct write_side_options {
  std::size_t max_live_aggregates = 10000; ///< per partition; LRU passivated
  /// Per aggregate (host_options).
  std::size_t batches_in_flight = 1;
  std::chrono::milliseconds checkpoint_interval{250};
  /// Hot aggregates snapshot at least this often (host_options).
  std::chrono::milliseconds snapshot_interval{30000};
  /// The consumer group through which nodes share the partitions.
  std::string group = "moim-write-side";
  /// Kafka static membership (group.instance.id): a node restarted with
  /// the same id takes its partitions back at once instead of waiting out
  /// its old session, and fences its former self's producers. Empty: a
  /// random id for this process (the group's fencing needs one).
  std::string instance_id;
};

/// What restoring one partition did.
struct restore_report {
  std::int64_t from = 0;   ///< the checkpoint's offset, 0 after a rebuild
  std::int64_t to = 0;     ///< the partition's end
  std::size_t records = 0; ///< replayed from the tail
  bool rebuilt = false;    ///< no usable checkpoint: replayed from the start
};

/// The write side of one node: the partitions it hosts and their hosts.
class write_side {
public:
  write_side(caf::actor_system& sys, infra::event_log& log,
             std::shared_ptr<infra::state_store> store,
             write_side_options options = {});

  /// stop(), then waits for the state store's actor.
  ~write_side();

  write_side(const write_side&) = delete;
  write_side& operator=(const write_side&) = delete;

  /// Adds a listener of committed events. Call before start() or assign():
  /// the listeners are fixed once the first partition is hosted.
  void subscribe_committed(committed_listener listener);

  /// Joins the write side's consumer group on a thread of its own: assigned
  /// partitions are restored and hosted, revoked ones checkpointed and let
  /// go, lost ones dropped without a checkpoint.
  void start();

  /// Leaves the group (if started) and revokes every hosted partition with
  /// a final checkpoint. Idempotent.
  void stop();

  /// Whether the first assignment of the group has been hosted.
  [[nodiscard]] bool ready() const noexcept;

  /// Becomes the partition's writer (fencing any older one), restores its
  /// state from checkpoint and tail, and starts its host. Blocking.
  [[nodiscard]] infra::result<restore_report>
  assign(const infra::topic_partition& where);

  /// Stops taking commands for the partition, finishes what is in flight,
  /// checkpoints and lets go. False if the final checkpoint failed.
  bool revoke(const infra::topic_partition& where);

  /// The port of the aggregate; `not_owner_node` (retryable) when this
  /// node does not host its partition.
  [[nodiscard]] events::expected<aggregate_port, rejection>
  route(events::aggregate_kind kind, const std::string& aggregate) const;

  [[nodiscard]] std::vector<infra::topic_partition> assigned() const;

  /// Gauges and counters of the partition lifecycle on `metrics`.
  void add_metrics(infra::metrics_registry& metrics) const;

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

/// Sends `cmd` through `ws` and waits for the reply (for tools and tests;
/// actors use request() on the routed port).
[[nodiscard]] command_reply send_command(caf::actor_system& sys,
                                         const write_side& ws,
                                         command_envelope cmd);

} // namespace moim::actors
