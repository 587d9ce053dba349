// The projection runner and the Postgres read model on both logs: a
// projecting child killed with SIGKILL in the middle of its batches and
// restarted leaves the read model equal to a fresh rebuild from the log,
// with no duplicates and no gaps.

#include "projections/postgres/postgres_projection.hpp"
#include "projections/runner.hpp"
#include "tests/integration/log_factories.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <csignal>
#include <sstream>
#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;

namespace {

constexpr int rooms = 20;
constexpr int per_room = 500;
constexpr int total = rooms * per_room;

/// The last "applied <n>" the child printed.
std::uint64_t applied_of(const std::string& output) {
  std::istringstream in{output};
  std::string line;
  std::uint64_t last = 0;
  while (std::getline(in, line))
    if (line.rfind("applied ", 0) == 0 && in.good())
      last = std::stoull(line.substr(8));
  return last;
}

template<class Factory>
std::vector<std::string> projector_args(Factory& f, const std::string& topic,
                                        const std::string& url,
                                        const std::string& schema);

template<>
std::vector<std::string>
projector_args(embedded_factory& f, const std::string& topic,
               const std::string& url, const std::string& schema) {
  return {MOIM_PROJECTOR_PATH, "embedded", f.dir, topic, url, schema};
}

template<>
std::vector<std::string>
projector_args(kafka_factory& f, const std::string& topic,
               const std::string& url, const std::string& schema) {
  return {MOIM_PROJECTOR_PATH, "kafka", f.brokers, topic, url, schema};
}

/// What the read model in `schema` holds, as numbers and a digest.
struct read_model_digest {
  std::int64_t messages = 0;
  std::int64_t counted = 0; ///< the per-minute counts, summed
  std::string digest;

  friend bool operator==(const read_model_digest& x,
                         const read_model_digest& y) {
    return x.messages == y.messages && x.counted == y.counted
           && x.digest == y.digest;
  }
};

read_model_digest digest_of(const std::string& url, const std::string& schema) {
  pqxx::connection conn{url};
  pqxx::read_transaction tx{conn};
  auto s = conn.quote_name(schema);
  read_model_digest d;
  d.messages
    = tx.exec1("SELECT count(*) FROM " + s + ".messages")[0].as<std::int64_t>();
  d.counted = tx.exec1("SELECT coalesce(sum(messages), 0) FROM " + s
                       + ".room_messages_per_minute")[0]
                .as<std::int64_t>();
  d.digest = tx.exec1("SELECT coalesce(md5(string_agg(room || ':' || seq || "
                      "':' || author || ':' || body, ',' ORDER BY room, seq)), "
                      "'') FROM "
                      + s + ".messages")[0]
               .as<std::string>();
  return d;
}

std::int64_t messages_in(const std::string& url, const std::string& schema) {
  try {
    pqxx::connection conn{url};
    pqxx::read_transaction tx{conn};
    return tx
      .exec1("SELECT count(*) FROM " + conn.quote_name(schema) + ".messages")[0]
      .as<std::int64_t>();
  } catch (const std::exception&) {
    return -1; // not migrated yet
  }
}

void drop_schema(const std::string& url, const std::string& schema) {
  pqxx::connection conn{url};
  pqxx::nontransaction tx{conn};
  tx.exec("DROP SCHEMA IF EXISTS " + conn.quote_name(schema) + " CASCADE");
}

} // namespace

TEMPLATE_TEST_CASE("projection: a projecting process killed with SIGKILL "
                   "mid-batch and restarted equals a fresh rebuild from the "
                   "log, no duplicates, no gaps",
                   "[projection][crash]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("projection");
  auto url = stack_env("MOIM_POSTGRES_URL");
  auto schema = unique_name("it_projection");
  auto rebuilt = unique_name("it_rebuild");
  {
    auto log = factory.open({{topic, 4}});
    std::map<infra::topic_partition, std::unique_ptr<infra::partition_writer>>
      writers;
    for (int r = 0; r < rooms; ++r) {
      events::aggregate_id room{"room-" + std::to_string(r)};
      infra::topic_partition tp{topic, log->partition_of(topic, room)};
      auto& writer = writers[tp];
      if (!writer) {
        auto opened = log->open_writer(tp);
        REQUIRE(opened);
        writer = std::move(*opened);
      }
      for (int first = 1; first <= per_room; first += 50) {
        std::vector<events::event_envelope> batch; // one per append
        for (int seq = first; seq < first + 50; ++seq)
          batch.push_back(message_event(room, static_cast<std::uint64_t>(seq),
                                        "text " + std::to_string(seq)));
        REQUIRE(writer->append_sync(batch));
      }
    }
  }
  {
    child_process child{projector_args(factory, topic, url, schema)};
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (applied_of(child.output()) < total / 4
           && std::chrono::steady_clock::now() < deadline)
      REQUIRE_FALSE(child.wait(20ms));
    INFO(child.output().substr(0, 2000));
    REQUIRE(applied_of(child.output()) >= total / 4);
    child.signal(SIGKILL);
    REQUIRE(child.wait(10s));
  }
  auto after_kill = messages_in(url, schema);
  INFO("messages after the kill: " << after_kill);
  CHECK(after_kill < total); // the kill landed before the end
  {
    child_process child{projector_args(factory, topic, url, schema)};
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (messages_in(url, schema) < total
           && std::chrono::steady_clock::now() < deadline)
      REQUIRE_FALSE(child.wait(50ms));
    // A little longer: anything applied twice would show in the counts.
    std::this_thread::sleep_for(500ms);
    child.signal(SIGKILL);
    REQUIRE(child.wait(10s));
  }
  // A fresh rebuild of the same log, in process, into another schema.
  {
    auto log = factory.open({{topic, 4}});
    projections::postgres_projection_options options;
    options.url = url;
    options.schema = rebuilt;
    options.name = rebuilt;
    options.topics = {topic};
    projections::projection_runner runner{
      *log, std::make_shared<projections::postgres_projection>(options)};
    runner.start();
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (messages_in(url, rebuilt) < total
           && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    std::this_thread::sleep_for(500ms);
    runner.stop();
  }
  auto restarted = digest_of(url, schema);
  auto fresh = digest_of(url, rebuilt);
  CHECK(restarted.messages == total); // no gaps
  CHECK(restarted.counted == total);  // no event applied twice
  CHECK(fresh.messages == total);
  CHECK(fresh.counted == total);
  CHECK(restarted == fresh);
  drop_schema(url, schema);
  drop_schema(url, rebuilt);
}
