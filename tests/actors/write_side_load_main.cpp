// A child process for the write-side crash test: hosts every partition of
// an embedded log and posts messages to 20 rooms, up to 200 commands in
// flight, printing "ack <room> <message seq> <text>" for each acknowledged
// post, until it is killed.
//
//   moim_write_side_load embedded <log folder> <state folder> <room prefix>
//   moim_write_side_load kafka <brokers> <state folder> <room prefix>
// (on Kafka the room prefix is also the transactional.id prefix)

#include "actors/write_side.hpp"
#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/topics.hpp"

#include <caf/all.hpp>

#include <cstdio>
#include <future>

using namespace moim;
using namespace moim::actors;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: moim_write_side_load embedded|kafka "
                         "LOG_DIR|BROKERS STATE_DIR PREFIX\n");
    return 2;
  }
  std::string log_kind = argv[1];
  std::string prefix = argv[4];
  std::unique_ptr<infra::event_log> log;
  if (log_kind == "kafka") {
    infra::kafka_log_options ko;
    ko.brokers = argv[2];
    ko.topics = infra::moim_topics(4);
    ko.replication_factor = 1;
    ko.transactional_id_prefix = prefix;
    if (auto opened = infra::kafka_log::open(ko))
      log = std::move(*opened);
  } else {
    infra::embedded_log_options eo;
    eo.path = argv[2];
    eo.topics = infra::moim_topics(4);
    if (auto opened = infra::embedded_log::open(eo))
      log = std::move(*opened);
  }
  auto store = infra::state_store::open(argv[3]);
  if (!log || !store) {
    std::fprintf(stderr, "cannot open the log or the store\n");
    return 1;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  write_side_options options;
  options.checkpoint_interval = std::chrono::milliseconds{20};
  options.snapshot_interval = std::chrono::milliseconds{100}; // crash mid-way

  options.max_live_aggregates = 8; // passivation happens under load too
  write_side ws{
    sys, *log, std::shared_ptr<infra::state_store>{std::move(*store)}, options};
  for (auto kind : {events::aggregate_kind::user, events::aggregate_kind::room,
                    events::aggregate_kind::schedule})
    for (int p = 0; p < log->partition_count(infra::topic_of(kind)); ++p)
      if (!ws.assign({infra::topic_of(kind), events::partition_id{p}})) {
        std::fprintf(stderr, "assign failed\n");
        return 1;
      }
  for (int r = 0; r < 20; ++r)
    (void)send_command(
      sys, ws,
      {events::aggregate_kind::room,
       events::aggregate_id{prefix + "-room-" + std::to_string(r)},
       room_command{
         create_room{events::user_id{"u"}, "Room", "", {}, 100, true}},
       events::idempotency_key{"create-" + std::to_string(r)},
       {},
       {}});
  std::promise<void> never;
  sys.spawn([&ws, prefix](caf::event_based_actor* self) {
    auto next = std::make_shared<long>(0);
    auto pump = std::make_shared<std::function<void()>>();
    *pump = [=, &ws] {
      auto n = (*next)++;
      auto room = prefix + "-room-" + std::to_string(n % 20);
      auto host = ws.route(events::aggregate_kind::room, room);
      if (!host)
        return;
      auto text = std::to_string(n);
      self
        ->request(*host, caf::infinite, command_atom::value,
                  command_envelope{events::aggregate_kind::room,
                                   events::aggregate_id{room},
                                   room_command{post_message{
                                     events::user_id{"u"}, text, text}},
                                   events::idempotency_key{"post-" + text},
                                   {},
                                   {}})
        .then(
          [=](command_reply& r) {
            if (r) {
              auto& posted
                = std::get<events::room_message_posted>(r->events.front());
              std::printf(
                "ack %s %llu %s\n", room.c_str(),
                static_cast<unsigned long long>(posted.message.value()),
                text.c_str());
              std::fflush(stdout);
            }
            (*pump)();
          },
          [=](caf::error&) {
            (*pump)();
          });
    };
    for (int i = 0; i < 200; ++i)
      (*pump)();
  });
  never.get_future().wait(); // until SIGKILL
}
