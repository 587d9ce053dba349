#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace moim::test {

/// Creates `topic` with `partitions` partitions (replication factor 1)
/// through the Kafka Admin API and waits until it exists. Fails the test
/// on error.
/// A raw librdkafka producer on `brokers` with `settings` (name, value)
/// besides bootstrap.servers; the test fails when it cannot be made.
std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> raw_kafka_producer(
  const std::string& brokers,
  const std::vector<std::pair<std::string, std::string>>& settings = {});

void create_kafka_topic(const std::string& brokers, const std::string& topic,
                        int partitions);

} // namespace moim::test
