// Crash test for both logs: a child appending in a loop is killed with
// SIGKILL; after restart every append it reported as acknowledged is in the
// log, in order, exactly once.

#include "tests/integration/log_factories.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sstream>
#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;

namespace {

/// The last sequence number acknowledged, and how many acks were printed.
std::pair<std::uint64_t, int> last_ack(const std::string& output) {
  std::istringstream in{output};
  std::string line;
  std::uint64_t last = 0;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.rfind("ack ", 0) == 0 && in.good()) { // complete lines only
      auto seq = std::stoull(line.substr(4));
      CHECK(seq > last); // acks come in order
      last = seq;
      ++count;
    }
  }
  return {last, count};
}

template<class Factory>
std::vector<std::string> child_args(Factory& factory, const std::string& topic);

template<>
std::vector<std::string> child_args(embedded_factory& f,
                                    const std::string& topic) {
  return {MOIM_LOG_APPENDER_PATH, "embedded", f.dir, topic};
}

template<>
std::vector<std::string> child_args(kafka_factory& f,
                                    const std::string& topic) {
  return {MOIM_LOG_APPENDER_PATH, "kafka", f.brokers, topic, f.prefix};
}

} // namespace

TEMPLATE_TEST_CASE("log: acknowledged appends survive SIGKILL exactly once",
                   "[log][crash]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("crash");
  std::uint64_t acked = 0;
  {
    child_process child{child_args(factory, topic)};
    auto deadline = std::chrono::steady_clock::now() + 60s;
    int acks = 0;
    while (acks < 300 && std::chrono::steady_clock::now() < deadline) {
      REQUIRE_FALSE(child.wait(50ms)); // still appending
      acks = last_ack(child.output()).second;
    }
    INFO(child.output().substr(0, 2000));
    REQUIRE(acks >= 300);
    child.signal(SIGKILL);
    REQUIRE(child.wait(10s));
    acked = last_ack(child.output()).first;
  }
  // Restart: a new owner opens the log and becomes the partition's writer
  // (for Kafka this also aborts the dead writer's open transaction).
  auto log = factory.open({{topic, 1}});
  infra::topic_partition tp{topic, events::partition_id{0}};
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  auto records = read_all(*log, tp);
  REQUIRE(records.size() >= acked);
  for (std::size_t i = 0; i < records.size(); ++i) {
    INFO("record " << i);
    REQUIRE(text_of(records[i]) == std::to_string(i + 1));
  }
}
