#pragma once

#include <string>

namespace moim::bench {

struct chat_bench_options {
  std::string server = "http://127.0.0.1:8080"; ///< a running moimd
  int clients = 1000;
  int rooms = 100;
  int users = 100;        ///< connection i signs in as user i % users
  double rate = 2000;     ///< messages per second offered, all clients
  int seconds = 60;       ///< measured
  int warmup = 5;         ///< seconds before measuring
  std::size_t size = 100; ///< message text bytes
  /// The stack's brokers: after the run, the broker's ceiling is measured
  /// and the durable rate printed as a share of it. Empty: not measured.
  std::string brokers;
  std::size_t ceiling_records = 500000; ///< per ceiling mode
};

/// `moim-bench chat`: N WebSocket clients in M rooms of a running moimd
/// posting at a set rate. Prints durable messages/s (acknowledged after
/// the log commit), deliveries/s, ack and delivery latency percentiles,
/// connections held, moimd's memory per connection, and (with brokers)
/// the durable rate as a share of the broker's ceiling.
int run_chat_bench(const chat_bench_options& options);

} // namespace moim::bench
