#include "tools/moim-bench/actors_bench.hpp"

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/topics.hpp"
#include "tools/moim-bench/command_driver.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>

#include <unistd.h>

namespace moim::bench {

namespace {

using namespace moim::actors;
using clock_type = std::chrono::steady_clock;

std::unique_ptr<infra::event_log> open_log(const actors_bench_options& o,
                                           const std::string& dir) {
  if (o.log == "kafka") {
    infra::kafka_log_options ko;
    ko.brokers = o.brokers;
    ko.topics = infra::moim_topics(o.partitions);
    ko.replication_factor = 1;
    ko.transactional_id_prefix = "moim-bench-" + std::to_string(::getpid());
    auto log = infra::kafka_log::open(ko);
    if (!log) {
      std::fprintf(stderr, "%s\n", log.err().message.c_str());
      return nullptr;
    }
    return std::move(*log);
  }
  infra::embedded_log_options eo;
  eo.path = dir + "/log";
  eo.topics = infra::moim_topics(o.partitions);
  auto log = infra::embedded_log::open(eo);
  if (!log) {
    std::fprintf(stderr, "%s\n", log.err().message.c_str());
    return nullptr;
  }
  return std::move(*log);
}

/// Assigns every partition of the hosted topics; seconds taken.
double assign_all(write_side& ws, infra::event_log& log) {
  auto t0 = clock_type::now();
  for (auto kind : {events::aggregate_kind::user, events::aggregate_kind::room,
                    events::aggregate_kind::schedule}) {
    auto topic = infra::topic_of(kind);
    for (int p = 0; p < log.partition_count(topic); ++p)
      if (auto r = ws.assign({topic, events::partition_id{p}}); !r)
        std::fprintf(stderr, "assign: %s\n", r.err().message.c_str());
  }
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

command_envelope room(const std::string& id, room_command c) {
  return {events::aggregate_kind::room,
          events::aggregate_id{id},
          std::move(c),
          {},
          {},
          {}};
}

void print(const char* what, drive_result& r) {
  std::printf("%-34s %9.0f cmd/s  %s  (%zu ok, %zu rejected, %.2f s)\n", what,
              static_cast<double>(r.accepted + r.rejected) / r.seconds,
              r.latency.summary().c_str(), r.accepted, r.rejected, r.seconds);
}

std::string run_id() {
  return std::to_string(::getpid()) + "-"
         + std::to_string(
           std::chrono::system_clock::now().time_since_epoch().count());
}

} // namespace

int run_actors_bench(const actors_bench_options& o) {
  if (o.log == "kafka" && o.brokers.empty()) {
    std::fprintf(stderr, "moim-bench actors: --log kafka needs --brokers or "
                         "MOIM_KAFKA_BROKERS\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  auto dir = (std::filesystem::temp_directory_path()
              / ("moim-bench-actors-" + run_id()))
               .string();
  auto log = open_log(o, dir);
  if (!log)
    return 1;
  auto id = run_id();
  std::printf("moim-bench actors: %s log, %d partitions per topic, %zu "
              "commands in flight\n\n",
              o.log.c_str(), log->partition_count("moim.rooms"), o.in_flight);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  {
    auto store = infra::state_store::open(dir + "/state");
    if (!store) {
      std::fprintf(stderr, "%s\n", store.err().message.c_str());
      return 1;
    }
    write_side ws{sys, *log, std::move(*store), {}};
    assign_all(ws, *log);

    // Posting messages: one room, then 1,000 rooms.
    for (std::size_t rooms : {std::size_t{1}, std::size_t{1000}}) {
      auto setup = drive(sys, ws, rooms, o.in_flight, [&](std::size_t i) {
        return room(
          "bench-" + id + "-" + std::to_string(rooms) + "-" + std::to_string(i),
          create_room{events::user_id{"owner"}, "Bench", "", {}, 100, true});
      });
      auto r = drive(sys, ws, o.messages, o.in_flight, [&](std::size_t i) {
        return room(
          "bench-" + id + "-" + std::to_string(rooms) + "-"
            + std::to_string(i % rooms),
          post_message{events::user_id{"owner"}, std::string(200, 'x'), ""});
      });
      auto label = "post message, " + std::to_string(rooms) + " room(s)";
      print(label.c_str(), r);
    }

    // A room with a long history must post as fast as a new one: the cost
    // of a command may not grow with the room's age.
    if (o.aged_messages > 0) {
      auto aged = "bench-" + id + "-aged";
      (void)drive(sys, ws, 1, 1, [&](std::size_t) {
        return room(
          aged,
          create_room{events::user_id{"owner"}, "Aged", "", {}, 100, true});
      });
      auto fill
        = drive(sys, ws, o.aged_messages, o.in_flight, [&](std::size_t) {
            return room(aged, post_message{events::user_id{"owner"},
                                           std::string(100, 'x'), ""});
          });
      std::printf("  (aged room: %zu earlier messages written at %.0f cmd/s)\n",
                  fill.accepted,
                  static_cast<double>(fill.accepted) / fill.seconds);
      auto r = drive(sys, ws, o.messages, o.in_flight, [&](std::size_t) {
        return room(aged, post_message{events::user_id{"owner"},
                                       std::string(200, 'x'), ""});
      });
      auto label = "post message, 1 room aged "
                   + std::to_string(o.aged_messages / 1000) + "k";
      print(label.c_str(), r);
    }

    // 10,000 seat requests on a 100-seat schedule.
    auto sched = "bench-sched-" + id;
    (void)drive(sys, ws, 1, 1, [&](std::size_t) {
      return command_envelope{events::aggregate_kind::schedule,
                              events::aggregate_id{sched},
                              schedule_command{create_schedule{
                                events::room_id{"r"}, events::user_id{"owner"},
                                "Run", "2027-01-01T07:00:00Z", "Park", 100}},
                              {},
                              {},
                              {}};
    });
    auto seats = drive(sys, ws, 10000, 10000, [&](std::size_t i) {
      return command_envelope{
        events::aggregate_kind::schedule,
        events::aggregate_id{sched},
        schedule_command{take_seat{events::user_id{"m" + std::to_string(i)}}},
        {},
        {},
        {}};
    });
    print("take seat, 10,000 on 100 seats", seats);

    // The history for the recovery measurement.
    auto aggregates = o.recovery_aggregates;
    std::printf("\nwriting %zu events over %zu rooms for the recovery "
                "measurement...\n",
                o.recovery_events, aggregates);
    auto created
      = drive(sys, ws, aggregates, o.in_flight * 4, [&](std::size_t i) {
          return room(
            "rec-" + id + "-" + std::to_string(i),
            create_room{events::user_id{"owner"}, "R", "", {}, 100, true});
        });
    auto posts = o.recovery_events > 2 * aggregates
                   ? o.recovery_events - 2 * aggregates
                   : 0;
    auto written = drive(sys, ws, posts, o.in_flight * 4, [&](std::size_t i) {
      return room("rec-" + id + "-" + std::to_string(i % aggregates),
                  post_message{events::user_id{"owner"}, "m", ""});
    });
    std::printf("  %zu rooms created, %zu posts (%.0f cmd/s)\n",
                created.accepted, written.accepted,
                static_cast<double>(written.accepted) / written.seconds);
  } // revoke: final checkpoints

  auto serve_again = [&](const std::string& state_dir) {
    auto store = infra::state_store::open(state_dir);
    if (!store)
      return -1.0;
    auto t0 = clock_type::now();
    write_side ws{sys, *log, std::move(*store), {}};
    assign_all(ws, *log);
    // Serving: the first command on an old aggregate is answered.
    auto first = drive(sys, ws, 1, 1, [&](std::size_t) {
      return room("rec-" + id + "-0",
                  post_message{events::user_id{"owner"}, "again", ""});
    });
    auto seconds
      = std::chrono::duration<double>(clock_type::now() - t0).count();
    if (first.accepted != 1)
      std::fprintf(stderr, "the first command after restart failed\n");
    return seconds;
  };
  auto from_checkpoint = serve_again(dir + "/state");
  auto from_empty = serve_again(dir + "/state-empty");
  std::printf("\nserve again after restart (%zu events, %zu aggregates):\n"
              "  from checkpoint        %8.3f s\n"
              "  from empty (replay)    %8.3f s\n",
              o.recovery_events, o.recovery_aggregates, from_checkpoint,
              from_empty);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return 0;
}

} // namespace moim::bench
