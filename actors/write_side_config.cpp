#include "actors/write_side_config.hpp"

namespace moim::actors {

infra::config_keys<hosting_options> hosting_keys() {
  using options = hosting_options;
  return {
    infra::text<options>(
      "state_path", "folder of the local state store (aggregate snapshots)",
      &options::state_path),
    infra::text<options>(
      "group", "consumer group through which nodes share partitions",
      [](auto& o) -> auto& { return o.write_side.group; }),
    infra::integer<options>(
      "max_live_aggregates",
      "live aggregate actors per partition; the least recently used "
      "passivate",
      [](auto& o) -> auto& { return o.write_side.max_live_aggregates; }, 1,
      10000000),
    infra::integer<options>(
      "batches_in_flight",
      "an aggregate's batches appended and not yet answered by the log; "
      "above 1 a command that comes during a commit goes into the next one",
      [](auto& o) -> auto& { return o.write_side.batches_in_flight; }, 1, 16),
    infra::integer<options>("actor_threads",
                            "threads of the actor scheduler; 0: one per core",
                            &options::actor_threads, 0, 256),
    infra::choice<options>(
      "actor_scheduler",
      "how idle actor threads wait: sharing (one queue, sleep until work) "
      "or stealing (a queue per thread, poll first)",
      &options::actor_scheduler, {"sharing", "stealing"}),
  };
}

} // namespace moim::actors
