#pragma once

#include <string>
#include <vector>

namespace moim::bench {

struct projection_bench_options {
  std::string log = "kafka"; ///< kafka or embedded
  std::string brokers;       ///< for kafka
  std::string postgres_url;  ///< empty: that store is left out
  std::string redis_url;
  std::string search_url;
  std::size_t events = 200000; ///< written before the rebuild
  std::size_t rooms = 1000;
  double lag_rate = 2000; ///< events/s during the lag run (0: skip it)
  int lag_seconds = 20;
};

/// `moim-bench projections`: writes a chat-like log (rooms created and
/// joined, then messages), then measures
///  1. each projection alone rebuilding its read model from the start
///     (events/s),
///  2. all of them at once (the time to rebuild every read model),
///  3. the lag from commit to visible while events are appended at
///     `lag_rate`: each batch's append acknowledgement to the moment each
///     projection has applied its last event (p50/p99), which for search
///     includes the index refresh.
/// Each run uses fresh namespaces (schema, key prefix, index prefix), so
/// nothing of moimd's read models is touched. Returns the exit code.
int run_projection_bench(const projection_bench_options& options);

} // namespace moim::bench
