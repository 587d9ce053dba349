#pragma once

#include <string>
#include <vector>

namespace moim::bench {

struct log_bench_options {
  std::string logs = "both";  ///< embedded, kafka or both
  std::string brokers;        ///< for kafka
  std::string dir;            ///< for embedded; empty: a temporary folder
  std::size_t events = 20000; ///< per run
  std::vector<int> appenders{1, 16};
  std::size_t payload_bytes = 256;
};

/// `moim-bench log`: append throughput and latency of the event log, and,
/// against the same broker, a plain librdkafka transactional producer with
/// the same messages and the same events per transaction. Prints a table
/// and the Moim/raw ratio. Returns the process exit code.
int run_log_bench(const log_bench_options& options);

} // namespace moim::bench
