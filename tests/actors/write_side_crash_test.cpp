// Crash test of the write side: a child serving a command load is killed
// with SIGKILL; after restart (checkpoint + tail) every acknowledged command
// is there exactly once, and the state restored from checkpoint plus tail
// equals the state rebuilt from the log alone.

#include "actors/hosting/restore.hpp"
#include "actors/write_side.hpp"
#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/topics.hpp"
#include "tests/integration/log_factories.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack_env.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using namespace moim;
using namespace moim::actors;
using namespace moim::test;
using namespace std::chrono_literals;

namespace {

/// Every snapshot of a partition whose id starts with `prefix`, as text,
/// to compare two stores.
infra::result<std::string> state_text(infra::state_store& store,
                                      const infra::topic_partition& where,
                                      const std::string& prefix) {
  auto all = store.all(where);
  if (!all)
    return all.err();
  std::string out;
  for (const auto& snap : *all)
    if (snap.id.rfind(prefix, 0) == 0)
      out
        += snap.id + '\n' + std::to_string(snap.seq) + '\n' + snap.data + '\n';
  return out;
}

void crash_and_restore(bool on_kafka) {
  auto dir = std::filesystem::temp_directory_path() / unique_name("moim-crash");
  auto log_dir = (dir / "log").string();
  auto state_dir = (dir / "state").string();
  auto prefix = unique_name("crash");
  std::string brokers = on_kafka ? stack_env("MOIM_KAFKA_BROKERS") : "";
  std::map<std::string, std::set<std::string>> acked; // room -> texts
  {
    child_process child{{MOIM_WRITE_SIDE_LOAD_PATH,
                         on_kafka ? "kafka" : "embedded",
                         on_kafka ? brokers : log_dir, state_dir, prefix}};
    auto deadline = std::chrono::steady_clock::now() + 60s;
    std::size_t lines = 0;
    while (lines < 3000 && std::chrono::steady_clock::now() < deadline) {
      REQUIRE_FALSE(child.wait(50ms));
      auto out = child.output();
      lines
        = static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
    }
    INFO(child.output().substr(0, 2000));
    REQUIRE(lines >= 3000);
    // Long enough under load for checkpoints (every 20 ms in the child) to
    // be written, however fast the first 3,000 acks came.
    std::this_thread::sleep_for(500ms);
    REQUIRE_FALSE(child.wait(0ms));
    child.signal(SIGKILL);
    REQUIRE(child.wait(10s));
    std::istringstream in{child.output()};
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("ack ", 0) == 0 && in.good()) {
        std::istringstream fields{line.substr(4)};
        std::string room, seq, text;
        fields >> room >> seq >> text;
        acked[room].insert(text);
      }
  }
  REQUIRE(acked.size() == 20);

  // Restart: same log; on Kafka the same transactional.id prefix, so the
  // new writers fence the dead ones and abort their open transactions.
  std::unique_ptr<infra::event_log> log;
  if (on_kafka) {
    infra::kafka_log_options ko;
    ko.brokers = brokers;
    ko.topics = infra::moim_topics(4);
    ko.replication_factor = 1;
    ko.transactional_id_prefix = prefix;
    auto opened = infra::kafka_log::open(ko);
    REQUIRE(opened);
    log = std::move(*opened);
  } else {
    infra::embedded_log_options eo;
    eo.path = log_dir;
    eo.topics = infra::moim_topics(4);
    auto opened = infra::embedded_log::open(eo);
    REQUIRE(opened);
    log = std::move(*opened);
  }
  auto partitions = log->partition_count("moim.rooms");
  auto opened = infra::state_store::open(state_dir);
  REQUIRE(opened);
  std::shared_ptr<infra::state_store> store{std::move(*opened)};
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  {
    write_side ws{sys, *log, store, {}};
    bool used_checkpoint = false;
    for (int p = 0; p < partitions; ++p) {
      auto report = ws.assign({"moim.rooms", events::partition_id{p}});
      REQUIRE(report);
      CHECK_FALSE(report->rebuilt);
      used_checkpoint = used_checkpoint || report->from > 0;
    }
    CHECK(used_checkpoint); // not a full replay

    // Every acknowledged post is in the log exactly once; no post twice.
    std::map<std::string, std::map<std::string, int>> in_log;
    for (int p = 0; p < partitions; ++p)
      for (const auto& r :
           read_all(*log, {"moim.rooms", events::partition_id{p}}))
        for (const auto& d : r.decoded)
          if (auto* posted = std::get_if<events::room_message_posted>(&d.event))
            if (posted->room.value().rfind(prefix, 0) == 0)
              ++in_log[posted->room.value()][posted->text];
    for (const auto& [room, texts] : in_log)
      for (const auto& [text, count] : texts) {
        INFO(room << " " << text);
        CHECK(count == 1);
      }
    for (const auto& [room, texts] : acked)
      for (const auto& text : texts) {
        INFO(room << " " << text);
        CHECK(in_log[room].count(text) == 1);
      }
    // The restored state agrees with the log.
    for (const auto& [room, texts] : in_log) {
      auto st = send_command(
        sys, ws,
        {events::aggregate_kind::room,
         events::aggregate_id{room},
         room_command{post_message{events::user_id{"u"}, "after", ""}},
         {},
         {},
         {}});
      REQUIRE(st);
      CHECK(std::get<events::room_message_posted>(st->events.front())
              .message.value()
            == texts.size() + 1);
    }
  } // revokes: final checkpoints

  // Checkpoint + tail (the store as restored and served) equals a replay
  // of the log alone into an empty store.
  auto fresh_opened = infra::state_store::open((dir / "fresh").string());
  REQUIRE(fresh_opened);
  auto& fresh = **fresh_opened;
  for (int p = 0; p < partitions; ++p) {
    infra::topic_partition tp{"moim.rooms", events::partition_id{p}};
    auto restored
      = restore_partition(*log, *store, tp, events::aggregate_kind::room);
    REQUIRE(restored);
    auto rebuilt
      = restore_partition(*log, fresh, tp, events::aggregate_kind::room);
    REQUIRE(rebuilt);
    CHECK(rebuilt->from == 0);
    // This test's rooms only: other tests may append to the shared Kafka
    // topics between the two restores.
    auto a = state_text(*store, tp, prefix);
    auto b = state_text(fresh, tp, prefix);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a == *b);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

} // namespace

TEST_CASE("write side: acknowledged commands survive SIGKILL exactly once, "
          "checkpoint + tail equals a full replay (embedded log)",
          "[embedded][crash]") {
  crash_and_restore(false);
}

TEST_CASE("write side: acknowledged commands survive SIGKILL exactly once, "
          "checkpoint + tail equals a full replay (Kafka)",
          "[kafka][crash]") {
  crash_and_restore(true);
}
