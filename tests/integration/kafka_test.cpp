// Kafka transactions on the local stack's single broker: what the seed
// system could not do until the transaction-state topic fitted one broker.

#include "tests/integration/kafka_topic.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace moim::test;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<RdKafka::Conf>
make_conf(const std::vector<std::pair<std::string, std::string>>& settings) {
  std::unique_ptr<RdKafka::Conf> conf{
    RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL)};
  std::string err;
  for (const auto& [key, value] : settings) {
    INFO(key << ": " << err);
    REQUIRE(conf->set(key, value, err) == RdKafka::Conf::CONF_OK);
  }
  return conf;
}

std::unique_ptr<RdKafka::Producer>
transactional_producer(const std::string& brokers) {
  auto conf = make_conf({{"bootstrap.servers", brokers},
                         {"transactional.id", unique_name("moim-it-tx")}});
  std::string err;
  std::unique_ptr<RdKafka::Producer> producer{
    RdKafka::Producer::create(conf.get(), err)};
  INFO(err);
  REQUIRE(producer);
  std::unique_ptr<RdKafka::Error> init{producer->init_transactions(30000)};
  INFO((init ? init->str() : std::string{}));
  REQUIRE_FALSE(init);
  return producer;
}

void produce(RdKafka::Producer& producer, const std::string& topic,
             const std::string& value) {
  auto rc = producer.produce(topic, 0, RdKafka::Producer::RK_MSG_COPY,
                             const_cast<char*>(value.data()), value.size(),
                             "key", 3, 0, nullptr);
  REQUIRE(rc == RdKafka::ERR_NO_ERROR);
}

void require_ok(RdKafka::Error* raw) {
  std::unique_ptr<RdKafka::Error> error{raw};
  INFO((error ? error->str() : std::string{}));
  REQUIRE_FALSE(error);
}

/// Reads partition 0 of `topic` from the start until `last` is seen.
std::vector<std::string> read_until(const std::string& brokers,
                                    const std::string& topic,
                                    const std::string& isolation,
                                    const std::string& last) {
  auto conf = make_conf({{"bootstrap.servers", brokers},
                         {"group.id", unique_name("moim-it-group")},
                         {"isolation.level", isolation},
                         {"enable.auto.commit", "false"}});
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer{
    RdKafka::KafkaConsumer::create(conf.get(), err)};
  INFO(err);
  REQUIRE(consumer);
  std::unique_ptr<RdKafka::TopicPartition> tp{RdKafka::TopicPartition::create(
    topic, 0, RdKafka::Topic::OFFSET_BEGINNING)};
  std::vector<RdKafka::TopicPartition*> parts{tp.get()};
  REQUIRE(consumer->assign(parts) == RdKafka::ERR_NO_ERROR);
  std::vector<std::string> seen;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> msg{consumer->consume(500)};
    if (msg->err() == RdKafka::ERR__TIMED_OUT
        || msg->err() == RdKafka::ERR__PARTITION_EOF)
      continue;
    INFO(msg->errstr());
    REQUIRE(msg->err() == RdKafka::ERR_NO_ERROR);
    seen.emplace_back(static_cast<const char*>(msg->payload()), msg->len());
    if (seen.back() == last)
      break;
  }
  consumer->close();
  return seen;
}

} // namespace

TEST_CASE("kafka: a committed transaction is read in order by read_committed") {
  auto brokers = stack_env("MOIM_KAFKA_BROKERS");
  auto topic = unique_name("moim-it-commit");
  create_kafka_topic(brokers, topic, 1);
  auto producer = transactional_producer(brokers);
  require_ok(producer->begin_transaction());
  for (auto value : {"one", "two", "three"})
    produce(*producer, topic, value);
  require_ok(producer->commit_transaction(30000));

  auto seen = read_until(brokers, topic, "read_committed", "three");
  CHECK(seen == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("kafka: an aborted transaction is invisible to read_committed") {
  auto brokers = stack_env("MOIM_KAFKA_BROKERS");
  auto topic = unique_name("moim-it-abort");
  create_kafka_topic(brokers, topic, 1);
  auto producer = transactional_producer(brokers);

  require_ok(producer->begin_transaction());
  produce(*producer, topic, "aborted-1");
  produce(*producer, topic, "aborted-2");
  REQUIRE(producer->flush(30000) == RdKafka::ERR_NO_ERROR);
  require_ok(producer->abort_transaction(30000));

  require_ok(producer->begin_transaction());
  produce(*producer, topic, "committed");
  require_ok(producer->commit_transaction(30000));

  auto committed = read_until(brokers, topic, "read_committed", "committed");
  CHECK(committed == std::vector<std::string>{"committed"});
  // The aborted records were really written: read_uncommitted sees them.
  auto everything = read_until(brokers, topic, "read_uncommitted", "committed");
  CHECK(everything
        == std::vector<std::string>{"aborted-1", "aborted-2", "committed"});
}
