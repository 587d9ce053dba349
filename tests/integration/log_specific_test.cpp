// What only one of the two logs has: Kafka's provisioning and records made
// by other producers; the embedded log's single-process lock.

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/kafka/kafka_record.hpp"
#include "tests/integration/kafka_topic.hpp"
#include "tests/integration/log_factories.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;

namespace {

using raw_records
  = std::vector<std::tuple<std::string, std::string, events::header_list>>;

/// A raw transactional producer with a transaction open in which it has
/// written `records` (key, value, headers) to partition 0 of `topic`.
std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)>
open_raw_transaction(const std::string& brokers, const std::string& topic,
                     const raw_records& records) {
  auto rk = raw_kafka_producer(
    brokers, {{"transactional.id", unique_name("moim-test-raw")}});
  REQUIRE(rd_kafka_init_transactions(rk.get(), 30000) == nullptr);
  REQUIRE(rd_kafka_begin_transaction(rk.get()) == nullptr);
  for (const auto& [key, value, headers] : records) {
    auto* h = rd_kafka_headers_new(headers.size());
    for (const auto& [name, v] : headers)
      rd_kafka_header_add(h, name.data(), static_cast<ssize_t>(name.size()),
                          v.data(), static_cast<ssize_t>(v.size()));
    auto* err
      = infra::produce_message(rk.get(), topic, 0, key, value, h, nullptr);
    REQUIRE(err == nullptr);
  }
  rd_kafka_flush(rk.get(), 30000);
  return rk;
}

/// The same, committed or aborted.
void raw_transaction(const std::string& brokers, const std::string& topic,
                     const raw_records& records, bool commit) {
  auto rk = open_raw_transaction(brokers, topic, records);
  if (commit)
    REQUIRE(rd_kafka_commit_transaction(rk.get(), 30000) == nullptr);
  else
    REQUIRE(rd_kafka_abort_transaction(rk.get(), 30000) == nullptr);
}

/// The texts of every record of `tp`, in order.
std::vector<std::string> texts_in(infra::event_log& log,
                                  const infra::topic_partition& tp) {
  std::vector<std::string> texts;
  for (const auto& r : read_all(log, tp))
    texts.push_back(text_of(r));
  return texts;
}

} // namespace

TEST_CASE("kafka log: a replication factor above the broker count is clamped "
          "with a warning naming the setting") {
  infra::kafka_log_options options;
  options.brokers = stack_env("MOIM_KAFKA_BROKERS");
  options.topics = {{unique_name("moim.test.clamp"), 2}};
  options.replication_factor = 3;
  auto log = infra::kafka_log::open(options);
  INFO((log ? std::string{} : log.err().message));
  REQUIRE(log);
  CHECK((*log)->replication_factor() == 1);
  REQUIRE((*log)->warnings().size() == 1);
  CHECK_THAT((*log)->warnings().front(),
             Catch::Contains("set kafka.replication_factor=1"));
  CHECK((*log)->partition_count(options.topics.begin()->first) == 2);
}

TEST_CASE("kafka log: an unreachable broker is a clear error, not a hang") {
  infra::kafka_log_options options;
  options.brokers = "127.0.0.1:" + std::to_string(free_port());
  options.topics = {{"moim.test.none", 1}};
  options.timeout = 2s;
  auto log = infra::kafka_log::open(options);
  REQUIRE_FALSE(log);
  CHECK(log.err().retryable());
  CHECK_THAT(log.err().message, Catch::Contains("kafka.brokers"));
}

TEST_CASE("kafka log: records of other producers: aborted ones are invisible, "
          "malformed ones are typed errors") {
  kafka_factory factory;
  auto topic = factory.topic("foreign");
  auto log = factory.open({{topic, 1}});
  infra::topic_partition tp{topic, events::partition_id{0}};
  auto good = message_event(events::aggregate_id{"r"}, 1, "good");
  auto good_headers = events::to_headers(good);
  raw_transaction(factory.brokers, topic,
                  {{"r", good.payload.dump(), good_headers}}, false);
  CHECK(read_all(*log, tp).empty());

  auto no_type = good_headers;
  no_type.erase(std::remove_if(no_type.begin(), no_type.end(),
                               [](const auto& h) {
                                 return h.first == "moim-type";
                               }),
                no_type.end());
  raw_transaction(factory.brokers, topic,
                  {{"r", "{\"room\": ", good_headers},
                   {"r", good.payload.dump(), no_type},
                   {"r", good.payload.dump(), good_headers}},
                  true);
  auto batch
    = log->read(tp, events::log_offset{0}, 100, infra::bad_record_policy::skip);
  REQUIRE(batch);
  REQUIRE(batch->records.size() == 1);
  CHECK(text_of(batch->records[0]) == "good");
  REQUIRE(batch->skipped.size() == 2);
  CHECK(batch->skipped[0].code == events::decode_errc::malformed_json);
  CHECK(batch->skipped[1].code == events::decode_errc::missing_header);
  CHECK_THAT(batch->skipped[1].text(), Catch::Contains("moim-type"));
  CHECK_THAT(batch->skipped[1].text(), Catch::Contains(tp.text() + "@"));
}

TEST_CASE("embedded log: a second process cannot open the same log") {
  embedded_factory factory;
  auto topic = factory.topic("locked");
  child_process holder{
    {MOIM_LOG_APPENDER_PATH, "embedded", factory.dir, topic}};
  // Wait until the child has the log open (it acknowledges appends).
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (holder.output().find("ack ") == std::string::npos
         && std::chrono::steady_clock::now() < deadline)
    REQUIRE_FALSE(holder.wait(20ms));
  REQUIRE(holder.output().find("ack ") != std::string::npos);
  infra::embedded_log_options options;
  options.path = factory.dir;
  options.topics = {{topic, 1}};
  auto second = infra::embedded_log::open(options);
  REQUIRE_FALSE(second);
  CHECK(second.err().code == infra::errc::rejected);
  CHECK_THAT(second.err().message,
             Catch::Contains("in use by another process"));
}

TEST_CASE("kafka log: two nodes believe they own one partition: the one the "
          "group dropped cannot commit, the new owner can") {
  kafka_factory factory;
  auto topic = factory.topic("zombie");
  auto log = factory.open({{topic, 1}});
  infra::topic_partition tp{topic, events::partition_id{0}};
  auto group = unique_name("moim-test-zombie");
  auto agg = aggregate_in(*log, topic, tp.partition, "z");

  // Node A owns the partition and writes through its membership.
  group_owner a{*log, group, topic, 6s};
  a.poll_until([&] {
    return a.owned.count(tp) == 1;
  });
  auto a_writer = a.sub->open_writer(tp);
  REQUIRE(a_writer);
  REQUIRE((*a_writer)->append_sync({message_event(agg, 1, "from a")}));

  // A stops polling (stalled, partitioned away): it never hears that the
  // group moved on. B joins; once A misses max.poll.interval.ms the group
  // drops it and gives B the partition.
  group_owner b{*log, group, topic, 6s};
  b.poll_until([&] {
    return b.owned.count(tp) == 1;
  });
  auto b_writer = b.sub->open_writer(tp);
  REQUIRE(b_writer);
  REQUIRE((*b_writer)->append_sync({message_event(agg, 2, "from b")}));

  // A still believes it owns the partition: its writer was never released
  // here, yet the group coordinator refuses its transaction.
  CHECK(a.owned.count(tp) == 1);
  auto zombie = (*a_writer)->append_sync({message_event(agg, 3, "zombie")});
  REQUIRE_FALSE(zombie);
  CHECK(zombie.err().code == infra::errc::rejected);
  INFO(zombie.err().message);

  REQUIRE((*b_writer)->append_sync({message_event(agg, 3, "b again")}));
  CHECK(texts_in(*log, tp)
        == std::vector<std::string>{"from a", "from b", "b again"});
}

TEST_CASE("kafka log: a new owner's writer opens only after a transaction an "
          "earlier producer left open on the partition is resolved") {
  kafka_factory factory;
  auto topic = factory.topic("open-txn");
  auto log = factory.open({{topic, 1}});
  infra::topic_partition tp{topic, events::partition_id{0}};
  auto good = message_event(events::aggregate_id{"r"}, 1, "left open");

  // The earlier owner's producer: produced and flushed, not yet committed.
  auto rk = open_raw_transaction(
    factory.brokers, topic,
    {{"r", good.payload.dump(), events::to_headers(good)}});

  group_owner a{*log, unique_name("moim-test-open"), topic, 0ms};
  a.poll_until([&] {
    return a.owned.count(tp) == 1;
  });
  std::atomic<bool> committed{false};
  std::thread finisher{[&] {
    std::this_thread::sleep_for(3s);
    committed = rd_kafka_commit_transaction(rk.get(), 30000) == nullptr;
  }};
  auto writer = a.sub->open_writer(tp);
  bool resolved_first = committed.load();
  finisher.join();
  REQUIRE(writer);
  CHECK(resolved_first); // it waited for the commit
  // So the tail it reads next holds the earlier owner's record.
  CHECK(texts_in(*log, tp) == std::vector<std::string>{"left open"});
}
