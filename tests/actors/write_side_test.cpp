// The write side on real logs: aggregates hosted on partitions, with their
// rules enforced by serial processing, whatever the concurrency.

#include "actors/domain/user_aggregate.hpp"
#include "actors/hosting/messages.hpp"
#include "infra/log/topics.hpp"
#include "tests/actors/write_side_fixture.hpp"
#include "tests/integration/log_factories.hpp"
#include "tests/support/stack_env.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <fstream>

using namespace moim;
using namespace moim::actors;
using namespace moim::test;
using events::user_id;
using kind = write_side_fixture::log_kind;

namespace {

std::string uid(const std::string& stem) {
  return unique_name(stem);
}

std::size_t rss_kib() {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoul(line.substr(6));
  return 0;
}

void seats_for(write_side_fixture& f) {
  auto room = uid("room");
  auto sched = uid("sched");
  REQUIRE(f.send(room_cmd(
    room, create_room{user_id{"owner"}, "Run club", "", {}, 10000, true})));
  REQUIRE(f.send(schedule_cmd(
    sched, create_schedule{events::room_id{room}, user_id{"owner"}, "Run",
                           "2027-01-01T07:00:00Z", "Park", 100})));
  constexpr int members = 10000;
  std::vector<command_envelope> cmds;
  for (int i = 0; i < members; ++i)
    cmds.push_back(
      schedule_cmd(sched, take_seat{user_id{"m" + std::to_string(i)}}));
  auto replies = f.send_all(std::move(cmds));
  int seated = 0;
  int waitlisted = 0;
  for (auto& r : replies) {
    INFO((r ? std::string{} : r.err().reason));
    REQUIRE(r);
    REQUIRE(r->events.size() == 1);
    if (std::holds_alternative<events::schedule_seat_taken>(r->events[0]))
      ++seated;
    else if (std::holds_alternative<events::schedule_waitlisted>(r->events[0]))
      ++waitlisted;
  }
  CHECK(seated == 100);
  CHECK(waitlisted == members - 100);
  auto state = f.state_of(events::aggregate_kind::schedule, sched)["state"];
  REQUIRE(state["seated"].size() == 100);
  for (int i = 0; i < 100; ++i)
    REQUIRE(state["seated"][i] == "m" + std::to_string(i)); // arrival order
  REQUIRE(state["waitlist"].size() == members - 100);
  for (int i = 100; i < members; ++i)
    REQUIRE(state["waitlist"][i - 100] == "m" + std::to_string(i));

  // Ten releases promote the next ten, in order.
  std::vector<command_envelope> releases;
  for (int i = 0; i < 10; ++i)
    releases.push_back(
      schedule_cmd(sched, release_seat{user_id{"m" + std::to_string(i)}}));
  for (auto& r : f.send_all(std::move(releases))) {
    REQUIRE(r);
    REQUIRE(r->events.size() == 2);
  }
  state = f.state_of(events::aggregate_kind::schedule, sched)["state"];
  REQUIRE(state["seated"].size() == 100);
  for (int i = 0; i < 10; ++i)
    CHECK(state["seated"][90 + i] == "m" + std::to_string(100 + i));
  CHECK(state["waitlist"][0] == "m110");
}

} // namespace

TEST_CASE("write side: rejections and message sequence numbers through the "
          "actors",
          "[embedded]") {
  write_side_fixture f{kind::embedded};
  f.assign_all();
  auto room = uid("room");
  REQUIRE(f.send(
    room_cmd(room, create_room{user_id{"owner"}, "Runners", "", {}, 3, true})));
  auto not_member
    = f.send(room_cmd(room, post_message{user_id{"x"}, "hi", ""}));
  REQUIRE_FALSE(not_member);
  CHECK(not_member.err().code == rejection_code::not_member);
  CHECK_FALSE(not_member.err().reason.empty());
  REQUIRE(f.send(room_cmd(room, join_room{user_id{"a"}})));
  REQUIRE(f.send(room_cmd(room, join_room{user_id{"b"}})));
  auto full = f.send(room_cmd(room, join_room{user_id{"c"}}));
  REQUIRE_FALSE(full);
  CHECK(full.err().code == rejection_code::full);
  for (std::uint64_t i = 1; i <= 5; ++i) {
    auto r = f.send(room_cmd(room, post_message{user_id{"a"}, "m", ""}));
    REQUIRE(r);
    CHECK(std::get<events::room_message_posted>(r->events[0]).message.value()
          == i);
  }
  auto none = f.send(room_cmd(uid("nothing"), join_room{user_id{"a"}}));
  REQUIRE_FALSE(none);
  CHECK(none.err().code == rejection_code::not_found);
  auto st = f.state_of(events::aggregate_kind::room, room);
  CHECK(st["seq"] == 2 + 2 + 5); // created + owner joined, 2 joins, 5 posts
}

TEST_CASE("write side: 10,000 concurrent seat requests on 100 seats "
          "(embedded log)",
          "[embedded]") {
  write_side_fixture f{kind::embedded};
  f.assign_all();
  seats_for(f);
}

TEST_CASE("write side: 10,000 concurrent seat requests on 100 seats "
          "(Kafka)",
          "[kafka]") {
  write_side_fixture f{kind::kafka};
  f.assign_all();
  seats_for(f);
}

TEST_CASE("write side: a batch the log refuses takes the batches decided "
          "after it with it, and the state is what the log holds",
          "[embedded]") {
  write_side_options options;
  options.batches_in_flight = 3; // pipelined: some are decided on others
  write_side_fixture f{kind::embedded, 4, options};
  f.assign_all();
  auto room = uid("room");
  REQUIRE(f.send(
    room_cmd(room, create_room{user_id{"owner"}, "Busy", "", {}, 10, true})));
  infra::topic_partition tp{
    infra::topic_of(events::aggregate_kind::room),
    f.log->partition_of(infra::topic_of(events::aggregate_kind::room),
                        events::aggregate_id{room})};
  // Posts stream in (several batches in flight at a time) and, once a tenth
  // of them are answered, another writer of the room's partition opens and
  // fences the node's writer: at a point in the stream, not after a sleep,
  // so a faster write path cannot finish before the fence.
  constexpr int posts = 20000;
  std::vector<command_envelope> cmds;
  for (int i = 0; i < posts; ++i)
    cmds.push_back(room_cmd(room, post_message{user_id{"owner"}, "m", ""}));
  std::unique_ptr<infra::partition_writer> usurper;
  auto replies = f.send_all(std::move(cmds), 500, [&](std::size_t replied) {
    if (replied != posts / 10)
      return;
    auto opened = f.log->open_writer(tp);
    if (opened)
      usurper = std::move(*opened);
  });
  REQUIRE(usurper);
  std::uint64_t acked = 0;
  std::size_t refused = 0;
  for (auto& r : replies) {
    if (!r) {
      CHECK(r.err().code == rejection_code::unavailable);
      ++refused;
      continue;
    }
    // Acknowledged ones are numbered 1, 2, ... with no gap.
    CHECK(std::get<events::room_message_posted>(r->events[0]).message.value()
          == ++acked);
  }
  CHECK(acked > 0);
  CHECK(refused > 0);
  // The log holds exactly the acknowledged posts, and so does the room.
  std::uint64_t logged = 0;
  for (const auto& rec : read_all(*f.log, tp))
    if (rec.stored.aggregate.value() == room
        && rec.stored.type == "room.message_posted")
      ++logged;
  CHECK(logged == acked);
  CHECK(f.state_of(events::aggregate_kind::room, room)["state"]["last_message"]
        == acked);
}

TEST_CASE("write side: the same idempotency key twice has one effect",
          "[embedded]") {
  write_side_fixture f{kind::embedded};
  f.assign_all();
  auto room = uid("room");
  REQUIRE(f.send(
    room_cmd(room, create_room{user_id{"owner"}, "R", "", {}, 10, true})));
  auto first = f.send(
    room_cmd(room, post_message{user_id{"owner"}, "once", "c1"}, "key-1"));
  REQUIRE(first);
  CHECK_FALSE(first->duplicate);
  auto again = f.send(
    room_cmd(room, post_message{user_id{"owner"}, "once", "c1"}, "key-1"));
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(again->first_seq == first->first_seq);
  REQUIRE(again->events.size() == 1);
  CHECK(std::get<events::room_message_posted>(again->events[0]).message.value()
        == 1);
  auto st = f.state_of(events::aggregate_kind::room, room);
  CHECK(st["seq"] == 3);
  CHECK(st["state"]["last_message"] == 1);
  // Concurrent repeats in one batch also count once.
  std::vector<command_envelope> burst;
  for (int i = 0; i < 50; ++i)
    burst.push_back(
      room_cmd(room, post_message{user_id{"owner"}, "burst", ""}, "key-2"));
  int fresh = 0;
  for (auto& r : f.send_all(std::move(burst))) {
    REQUIRE(r);
    fresh += r->duplicate ? 0 : 1;
  }
  CHECK(fresh == 1);
  CHECK(f.state_of(events::aggregate_kind::room, room)["state"]["last_message"]
        == 2);
}

TEST_CASE("write side: a saga's stream is hosted like an aggregate: started "
          "once, events that do not fit refused, nothing after its end, "
          "across a restart",
          "[embedded]") {
  write_side_fixture f{kind::embedded};
  f.assign_all();
  auto id = uid("saga");
  events::saga_id saga{id};
  auto record = [&](std::vector<events::any_event> evs, std::string key = {}) {
    return f.send(command_envelope{events::aggregate_kind::saga,
                                   events::aggregate_id{id},
                                   saga_command{record_saga_events{evs}},
                                   events::idempotency_key{std::move(key)},
                                   {},
                                   {}});
  };
  events::saga_started started{saga, "create_room", 1, "k-1",
                               nlohmann::json{{"name", "Run club"}}};
  auto step = events::saga_step_dispatched{saga, 0, "create", 1};
  auto not_yet = record({step});
  REQUIRE_FALSE(not_yet);
  CHECK(not_yet.err().code == rejection_code::not_found);
  auto first = record({started}, "create_room:k-1");
  REQUIRE(first);
  // The same start again (its key: the business key) joins the first.
  auto joined = record({started}, "create_room:k-1");
  REQUIRE(joined);
  CHECK(joined->duplicate);
  CHECK(joined->first_seq == first->first_seq);
  auto twice = record({started});
  REQUIRE_FALSE(twice);
  CHECK(twice.err().code == rejection_code::already_exists);
  auto other = record(
    {events::saga_step_dispatched{events::saga_id{"another"}, 0, "x", 1}});
  REQUIRE_FALSE(other);
  CHECK(other.err().code == rejection_code::invalid);
  REQUIRE(record({step, events::saga_step_succeeded{saga, 0, "create", {}},
                  events::saga_completed{saga}}));
  auto st = f.state_of(events::aggregate_kind::saga, id);
  CHECK(st["seq"] == 4);
  CHECK(st["state"]["ended"] == true);
  CHECK(st["state"]["type"] == "create_room");
  // Its partition moves (revoked, assigned again): the end holds.
  infra::topic_partition where{
    infra::topic_of(events::aggregate_kind::saga),
    f.log->partition_of(infra::topic_of(events::aggregate_kind::saga),
                        events::aggregate_id{id})};
  REQUIRE(f.ws->revoke(where));
  REQUIRE(f.ws->assign(where));
  auto after = record({events::saga_aborted{saga, "too late"}});
  REQUIRE_FALSE(after);
  CHECK(after.err().code == rejection_code::closed);
}

TEST_CASE("write side: 1,000 live actors at most, 100,000 aggregates touched, "
          "every state intact",
          "[embedded][passivation]") {
  write_side_options options;
  options.max_live_aggregates = 250; // per partition; 4 partitions
  if (auto cap = std::getenv("MOIM_TEST_CAP"))
    options.max_live_aggregates = std::stoul(cap);
  write_side_fixture f{kind::embedded, 4, options};
  f.assign_all();
  auto rss_before = rss_kib();
  int users = 100000;
  if (auto n = std::getenv("MOIM_TEST_USERS"))
    users = std::stoi(n);
  std::vector<command_envelope> cmds;
  for (int i = 0; i < users; ++i) {
    auto name = "user" + std::to_string(i);
    cmds.push_back(user_cmd(
      user_id_for_username(name).value(),
      register_user{name, "User " + std::to_string(i), "", "$argon2id$h"}));
  }
  auto replies = f.send_all(std::move(cmds), 4000);
  for (auto& r : replies) {
    INFO((r ? std::string{} : r.err().reason));
    REQUIRE(r);
  }
  auto rss_after = rss_kib();
  // Bounded: the live actors stay at the cap on every host.
  std::size_t live = 0;
  std::size_t passivated = 0;
  for (int p = 0; p < 4; ++p) {
    // Route to each partition through an id that lands there.
    for (int i = 0;; ++i) {
      auto id = user_id_for_username("user" + std::to_string(i)).value();
      if (f.log->partition_of("moim.users", events::aggregate_id{id}).value()
          != p)
        continue;
      auto host = f.ws->route(events::aggregate_kind::user, id);
      REQUIRE(host);
      caf::scoped_actor self{*f.sys};
      // White-box: the port is the partition host, which also answers stats.
      self
        ->request(caf::actor_cast<partition_host_actor>(*host), caf::infinite,
                  stats_atom::value)
        .receive(
          [&](host_stats s) {
            CHECK(s.live <= 250);
            live += s.live;
            passivated += s.passivated;
          },
          [](caf::error& err) {
            FAIL(caf::to_string(err));
          });
      break;
    }
  }
  CHECK(live <= 1000);
  CHECK(passivated >= static_cast<std::size_t>(users) - 1000);
  WARN("RSS grew by " << (rss_after - rss_before) / 1024 << " MiB for " << users
                      << " aggregates; live " << live << ", passivated "
                      << passivated);
  // Every state intact: a second registration of each is "name taken" and
  // a sample reads back its display name.
  std::vector<command_envelope> again;
  for (int i = 0; i < users; ++i) {
    auto name = "user" + std::to_string(i);
    again.push_back(user_cmd(user_id_for_username(name).value(),
                             register_user{name, "x", "", "$h"}));
  }
  for (auto& r : f.send_all(std::move(again), 4000)) {
    REQUIRE_FALSE(r);
    REQUIRE(r.err().code == rejection_code::name_taken);
  }
  for (int i = 0; i < users; i += 997) {
    auto st
      = f.state_of(events::aggregate_kind::user,
                   user_id_for_username("user" + std::to_string(i)).value());
    CHECK(st["state"]["display_name"] == "User " + std::to_string(i));
  }
}
