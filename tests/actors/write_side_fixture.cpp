#include "tests/actors/write_side_fixture.hpp"
#include "actors/hosting/messages.hpp"

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/topics.hpp"
#include "tests/support/stack_env.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>

namespace moim::test {

using namespace moim::actors;

write_side_fixture::write_side_fixture(log_kind kind, int parts,
                                       write_side_options options)
  : partitions(parts) {
  dir = (std::filesystem::temp_directory_path() / unique_name("moim-ws"))
          .string();
  if (kind == log_kind::embedded) {
    infra::embedded_log_options eo;
    eo.path = dir + "/log";
    eo.topics = infra::moim_topics(parts);
    auto opened = infra::embedded_log::open(eo);
    REQUIRE(opened);
    log = std::move(*opened);
  } else {
    // Fresh topics: a unique prefix is not possible for topic names that
    // Moim fixes, so each fixture gets its own Kafka topics by creating the
    // log with unique names... the write side routes by topic_of(kind), so
    // the Kafka fixture shares moim.* topics and uses unique aggregate ids.
    infra::kafka_log_options ko;
    ko.brokers = stack_env("MOIM_KAFKA_BROKERS");
    ko.topics = infra::moim_topics(parts);
    ko.replication_factor = 1;
    ko.transactional_id_prefix = unique_name("moim-test-ws");
    auto opened = infra::kafka_log::open(ko);
    INFO((opened ? std::string{} : opened.err().message));
    REQUIRE(opened);
    log = std::move(*opened);
    partitions
      = log->partition_count(infra::topic_of(events::aggregate_kind::room));
  }
  auto st = infra::state_store::open(dir + "/state");
  REQUIRE(st);
  store = std::move(*st);
  sys = std::make_unique<caf::actor_system>(cfg);
  ws = std::make_unique<write_side>(*sys, *log, store, options);
}

write_side_fixture::~write_side_fixture() {
  ws.reset();
  sys.reset();
  store.reset();
  log.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

void write_side_fixture::assign_all() {
  for (auto kind : events::all_aggregate_kinds) {
    auto topic = infra::topic_of(kind);
    for (int p = 0; p < log->partition_count(topic); ++p) {
      auto report = ws->assign({topic, events::partition_id{p}});
      INFO((report ? std::string{} : report.err().message));
      REQUIRE(report);
    }
  }
}

command_reply write_side_fixture::send(command_envelope cmd) {
  return send_command(*sys, *ws, std::move(cmd));
}

std::vector<command_reply>
write_side_fixture::send_all(std::vector<command_envelope> cmds,
                             std::size_t max_in_flight,
                             std::function<void(std::size_t)> on_reply) {
  auto replies = std::make_shared<std::vector<command_reply>>(
    cmds.size(), command_reply{rejection{rejection_code::unavailable, "none"}});
  std::promise<void> done;
  auto finished = done.get_future();
  const write_side* side = ws.get();
  sys->spawn([cmds = std::move(cmds), replies, side, max_in_flight,
              on_reply = std::move(on_reply),
              done = std::make_shared<std::promise<void>>(std::move(done))](
               caf::event_based_actor* self) mutable {
    auto next = std::make_shared<std::size_t>(0);
    auto outstanding = std::make_shared<std::size_t>(0);
    auto replied = std::make_shared<std::size_t>(0);
    auto note_reply = [=] {
      if (on_reply)
        on_reply(++*replied);
    };
    auto shared_cmds
      = std::make_shared<std::vector<command_envelope>>(std::move(cmds));
    auto pump = std::make_shared<std::function<void()>>();
    *pump = [=] {
      while (*next < shared_cmds->size() && *outstanding < max_in_flight) {
        auto i = (*next)++;
        auto& cmd = (*shared_cmds)[i];
        auto host = side->route(cmd.kind, cmd.aggregate.value());
        if (!host) {
          (*replies)[i] = host.err();
          continue;
        }
        ++*outstanding;
        self->request(*host, caf::infinite, command_atom::value, cmd)
          .then(
            [=](command_reply& r) {
              (*replies)[i] = std::move(r);
              --*outstanding;
              note_reply();
              (*pump)();
            },
            [=](caf::error& err) {
              (*replies)[i]
                = rejection{rejection_code::unavailable, caf::to_string(err)};
              --*outstanding;
              note_reply();
              (*pump)();
            });
      }
      if (*next == shared_cmds->size() && *outstanding == 0) {
        done->set_value();
        *pump = nullptr; // break the cycle
        self->quit();
      }
    };
    (*pump)();
  });
  finished.wait();
  return std::move(*replies);
}

nlohmann::json write_side_fixture::state_of(events::aggregate_kind kind,
                                            const std::string& id) {
  auto host = ws->route(kind, id);
  REQUIRE(host);
  std::string out;
  caf::scoped_actor self{*sys};
  // White-box: the port is the partition host, which also answers
  // with the whole state (not part of the public API).
  self
    ->request(caf::actor_cast<partition_host_actor>(*host), caf::infinite,
              state_atom::value, events::aggregate_id{id})
    .receive(
      [&out](std::string& s) {
        out = std::move(s);
      },
      [](caf::error& err) {
        FAIL(caf::to_string(err));
      });
  return nlohmann::json::parse(out);
}

command_envelope room_cmd(const std::string& room, room_command c,
                          std::string key) {
  return {events::aggregate_kind::room,
          events::aggregate_id{room},
          std::move(c),
          events::idempotency_key{std::move(key)},
          {},
          {}};
}

command_envelope schedule_cmd(const std::string& schedule, schedule_command c,
                              std::string key) {
  return {events::aggregate_kind::schedule,
          events::aggregate_id{schedule},
          std::move(c),
          events::idempotency_key{std::move(key)},
          {},
          {}};
}

command_envelope user_cmd(const std::string& user, user_command c,
                          std::string key) {
  return {events::aggregate_kind::user,
          events::aggregate_id{user},
          std::move(c),
          events::idempotency_key{std::move(key)},
          {},
          {}};
}

} // namespace moim::test
