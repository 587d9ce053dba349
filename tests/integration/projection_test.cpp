// The projection runner and each read model (Postgres, Redis, search) on
// both logs: a projecting child killed with SIGKILL in the middle of its
// batches and restarted leaves the read model equal to a fresh rebuild
// from the log, with no duplicates and no gaps.

#include "projections/runner.hpp"
#include "tests/integration/log_factories.hpp"
#include "tests/integration/projection_stores.hpp"
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
                                        const projection_store& store,
                                        const std::string& ns);

template<>
std::vector<std::string>
projector_args(embedded_factory& f, const std::string& topic,
               const projection_store& store, const std::string& ns) {
  return {MOIM_PROJECTOR_PATH, "embedded", f.dir, topic,
          store.store,         store.url,  ns};
}

template<>
std::vector<std::string>
projector_args(kafka_factory& f, const std::string& topic,
               const projection_store& store, const std::string& ns) {
  return {MOIM_PROJECTOR_PATH, "kafka",   f.brokers, topic,
          store.store,         store.url, ns};
}

projection_store store_named(const std::string& store) {
  const char* var = store == "postgres" ? "MOIM_POSTGRES_URL"
                    : store == "redis"  ? "MOIM_REDIS_URL"
                                        : "MOIM_SEARCH_URL";
  return {store, stack_env(var)};
}

} // namespace

TEMPLATE_TEST_CASE("projection: a projecting process killed with SIGKILL "
                   "mid-batch and restarted equals a fresh rebuild from the "
                   "log, no duplicates, no gaps (Postgres, Redis, search)",
                   "[projection][crash]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("projection");
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
  auto store
    = store_named(GENERATE(as<std::string>{}, "postgres", "redis", "search"));
  INFO("store: " << store.store);
  auto ns = unique_name("it-projection");
  auto rebuilt = unique_name("it-rebuild");
  {
    child_process child{projector_args(factory, topic, store, ns)};
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (applied_of(child.output()) < total / 4
           && std::chrono::steady_clock::now() < deadline)
      REQUIRE_FALSE(child.wait(20ms));
    INFO(child.output().substr(0, 2000));
    REQUIRE(applied_of(child.output()) >= total / 4);
    child.signal(SIGKILL);
    REQUIRE(child.wait(10s));
  }
  auto after_kill = store.applied(ns);
  INFO("messages after the kill: " << after_kill);
  CHECK(after_kill < total); // the kill landed before the end
  {
    child_process child{projector_args(factory, topic, store, ns)};
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (store.applied(ns) < total
           && std::chrono::steady_clock::now() < deadline)
      REQUIRE_FALSE(child.wait(50ms));
    // A little longer: anything applied twice would show in the counts.
    std::this_thread::sleep_for(500ms);
    child.signal(SIGKILL);
    REQUIRE(child.wait(10s));
  }
  // A fresh rebuild of the same log, in process, into another namespace.
  {
    auto log = factory.open({{topic, 4}});
    projections::projection_runner runner{*log, store.make(rebuilt, topic)};
    runner.start();
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (store.applied(rebuilt) < total
           && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    std::this_thread::sleep_for(500ms);
    runner.stop();
  }
  CHECK(store.applied(ns) == total); // no gaps, nothing counted twice
  CHECK(store.applied(rebuilt) == total);
  CHECK(store.digest(ns) == store.digest(rebuilt));
  store.drop(ns);
  store.drop(rebuilt);
}
