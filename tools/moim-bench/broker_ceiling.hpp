#pragma once

#include <cstddef>
#include <string>

namespace moim::bench {

/// What the stack's broker takes on this machine from one plain librdkafka
/// producer: the ceiling every Moim figure on Kafka is compared with.
struct broker_ceiling {
  double idempotent = 0;    ///< records/s: acks=all, idempotent
  double transactional = 0; ///< records/s: 1,000 records per transaction
  std::string error;        ///< empty when both were measured
};

struct ceiling_options {
  std::string brokers;
  std::size_t records = 500000; ///< per mode
  std::size_t size = 100;       ///< value bytes
  int partitions = 12;          ///< of a fresh topic, keys spread over them
};

/// Provisions a fresh topic and writes `records` records to it twice: as
/// an idempotent producer (acks=all), then transactionally with 1,000
/// records per transaction.
[[nodiscard]] broker_ceiling measure_broker_ceiling(const ceiling_options& o);

/// `moim-bench broker`: prints the ceiling.
int run_broker_bench(const ceiling_options& options);

} // namespace moim::bench
