#pragma once

#include <string>

namespace moim::test {

/// Creates `topic` with `partitions` partitions (replication factor 1)
/// through the Kafka Admin API and waits until it exists. Fails the test
/// on error.
void create_kafka_topic(const std::string& brokers, const std::string& topic,
                        int partitions);

} // namespace moim::test
