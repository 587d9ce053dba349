#include "tests/integration/kafka_topic.hpp"

#include <catch2/catch.hpp>
#include <librdkafka/rdkafka.h>

#include <memory>

namespace moim::test {

std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> raw_kafka_producer(
  const std::string& brokers,
  const std::vector<std::pair<std::string, std::string>>& settings) {
  char errstr[512];
  auto* conf = rd_kafka_conf_new();
  REQUIRE(rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr,
                            sizeof(errstr))
          == RD_KAFKA_CONF_OK);
  for (const auto& [name, value] : settings) {
    INFO(name << ": " << errstr);
    REQUIRE(rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr,
                              sizeof(errstr))
            == RD_KAFKA_CONF_OK);
  }
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> rk{
    rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr)),
    &rd_kafka_destroy};
  INFO(errstr);
  REQUIRE(rk);
  return rk;
}

void create_kafka_topic(const std::string& brokers, const std::string& topic,
                        int partitions) {
  char errstr[512];
  auto rk = raw_kafka_producer(brokers);
  auto* queue = rd_kafka_queue_new(rk.get());
  auto* spec = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, errstr,
                                     sizeof(errstr));
  REQUIRE(spec != nullptr);
  rd_kafka_CreateTopics(rk.get(), &spec, 1, nullptr, queue);
  auto* event = rd_kafka_queue_poll(queue, 30000);
  REQUIRE(event != nullptr);
  REQUIRE(rd_kafka_event_error(event) == RD_KAFKA_RESP_ERR_NO_ERROR);
  auto* result = rd_kafka_event_CreateTopics_result(event);
  size_t count = 0;
  auto** topics = rd_kafka_CreateTopics_result_topics(result, &count);
  REQUIRE(count == 1);
  INFO(rd_kafka_topic_result_error_string(topics[0]));
  CHECK(rd_kafka_topic_result_error(topics[0]) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_event_destroy(event);
  rd_kafka_NewTopic_destroy(spec);
  rd_kafka_queue_destroy(queue);
}

} // namespace moim::test
