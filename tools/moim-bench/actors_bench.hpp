#pragma once

#include <string>

namespace moim::bench {

struct actors_bench_options {
  std::string log = "embedded"; ///< embedded or kafka
  std::string brokers;
  std::size_t messages = 20000; ///< posts per run
  std::size_t in_flight = 1000;
  std::size_t recovery_events = 1000000;
  std::size_t recovery_aggregates = 100000;
  /// Earlier messages of the aged room, which must post as fast as a new
  /// one (0: skip that run).
  std::size_t aged_messages = 1000000;
  int partitions = 4;
};

/// `moim-bench actors`: commands/s and latency of posting messages through
/// the aggregate actors (1 room, 1,000 rooms, 1 room with a long history),
/// the 10,000 seat requests on
/// 100 seats, and the time to serve again after a restart with many events:
/// from the checkpoint, and from an empty state store (full replay).
int run_actors_bench(const actors_bench_options& options);

} // namespace moim::bench
