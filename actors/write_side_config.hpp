#pragma once

#include "actors/write_side.hpp"
#include "infra/config/config_key.hpp"

#include <string>

namespace moim::actors {

/// What a node needs to host the write side: where its state store lives,
/// and the write side's own options.
struct hosting_options {
  std::string state_path = "data/state"; ///< the local state store (RocksDB)
  /// Threads of the actor scheduler; 0: one per core. (CAF's own default
  /// is at least 4, which on a small machine puts idle workers' polling
  /// and their contention beside the I/O threads on every core.)
  std::size_t actor_threads = 0;
  /// How idle scheduler threads wait for work: "sharing" (one queue; an
  /// idle thread sleeps until work comes) or "stealing" (a queue per
  /// thread; an idle one polls and sleeps 50 us at a time for a while
  /// first, which on a small machine takes the cores the I/O threads and
  /// the broker need).
  std::string actor_scheduler = "sharing";
  write_side_options write_side;
};

/// moimd mounts them as `hosting.*`: state_path, group, max_live_aggregates,
/// batches_in_flight, actor_threads, actor_scheduler.
[[nodiscard]] infra::config_keys<hosting_options> hosting_keys();

} // namespace moim::actors
