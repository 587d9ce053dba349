#include "infra/log/event_log.hpp"

#include <librdkafka/rdkafka.h>

#include <future>

namespace moim::infra {

std::string topic_partition::text() const {
  return topic + "/" + std::to_string(partition.value());
}

append_result
partition_writer::append_sync(std::vector<events::event_envelope> batch) {
  std::promise<append_result> promise;
  auto future = promise.get_future();
  append(std::move(batch), [&promise](append_result result) {
    promise.set_value(std::move(result));
  });
  return future.get();
}

events::partition_id
event_log::partition_of(const std::string& topic,
                        const events::aggregate_id& id) const {
  return murmur2_partition(id.value(), partition_count(topic));
}

std::optional<error>
check_routing(const std::vector<events::event_envelope>& batch,
              const topic_partition& where, int partitions) {
  for (const auto& e : batch)
    if (murmur2_partition(e.aggregate.value(), partitions) != where.partition)
      return error{errc::invalid, "event of aggregate '" + e.aggregate.value()
                                    + "' does not belong to " + where.text()};
  return std::nullopt;
}

events::partition_id murmur2_partition(const std::string& key, int partitions) {
  // librdkafka's murmur2 partitioner ignores its topic and opaque arguments.
  return events::partition_id{rd_kafka_msg_partitioner_murmur2(
    nullptr, key.data(), key.size(), partitions, nullptr, nullptr)};
}

std::optional<events::decode_error> decode_record(log_record& record) {
  auto decoded = events::decode(record.stored);
  if (!decoded) {
    auto err = decoded.err();
    err.where = record.topic + "/"
                + std::to_string(record.position.partition.value()) + "@"
                + std::to_string(record.position.offset.value());
    return err;
  }
  record.decoded = std::move(*decoded);
  return std::nullopt;
}

} // namespace moim::infra
