// The room fan-out under CAF's test coordinator: every delivery is a step
// the test takes, so order, removal and bounds are checked exactly.
#define CAF_SUITE room_fanout

#include "gateway/room_fanout.hpp"

#include "tests/actors_dsl/fixture.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

using namespace moim;
using namespace moim::gateway;
using namespace moim::test;
using events::aggregate_kind;
using events::any_event;

namespace {

any_event posted(std::uint64_t n, const char* text) {
  return events::room_message_posted{events::room_id{"r"},
                                     events::message_seq{n},
                                     events::user_id{"u1"}, text, ""};
}

any_event kicked(const char* who) {
  return events::room_member_kicked{events::room_id{"r"}, events::user_id{who},
                                    events::user_id{"owner"}, "noise"};
}

/// The frames written to a subscriber's sink, parsed, in order (a
/// message holds one frame per line, as clients read it).
std::vector<nlohmann::json> frames_in(const record& r) {
  std::vector<nlohmann::json> out;
  for (const auto& message : *r) {
    if (message.rfind("push ", 0) != 0)
      continue;
    std::istringstream lines{message.substr(5)};
    for (std::string line; std::getline(lines, line);)
      out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

/// How many messages were written to a subscriber's sink.
std::size_t messages_in(const record& r) {
  std::size_t n = 0;
  for (const auto& message : *r)
    n += message.rfind("push ", 0) == 0 ? 1 : 0;
  return n;
}

/// The event frames in `r`, as (seq, event type).
std::vector<std::pair<std::uint64_t, std::string>> events_in(const record& r) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const auto& doc : frames_in(r))
    if (doc["type"] == "event")
      out.emplace_back(doc["seq"].get<std::uint64_t>(),
                       doc["event"].get<std::string>());
  return out;
}

/// The types of the frames in `r`, in order ("event" as its event type).
std::vector<std::string> types_in(const record& r) {
  std::vector<std::string> out;
  for (const auto& doc : frames_in(r))
    out.push_back(doc["type"] == "event" ? doc["event"].get<std::string>()
                                         : doc["type"].get<std::string>());
  return out;
}

struct fixture : actor_fixture {
  fanout_options options;
  room_fanout_actor fanout;

  fixture() {
    options.recent_per_room = 4;
    options.idle_sweeps = 3;
    fanout = spawn_room_fanout(sys, options);
    run();
  }

  subscription_reply subscribe(const recording_subscriber& who,
                               const std::string& user, std::uint64_t last,
                               std::uint64_t current, bool history = false,
                               std::vector<std::string> prelude = {}) {
    return ask<subscription_reply>(
      fanout, subscribe_atom::value,
      subscription_request{caf::actor_cast<room_subscriber>(who.actor),
                           who.sink, "r", user, last, current, history,
                           std::move(prelude)});
  }

  void commit(std::uint64_t first_seq, std::vector<any_event> evs) {
    self->send(fanout, actors::committed_atom::value,
               batch(aggregate_kind::room, "r", first_seq, evs));
    run();
  }

  fanout_stats stats() {
    return ask<fanout_stats>(fanout, stats_atom::value);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(room_fanout_tests, fixture)

CAF_TEST(every_subscriber_gets_the_room_s_events_in_commit_order) {
  auto a = subscriber();
  auto b = subscriber();
  subscribe(a, "u1", 3, 3);
  subscribe(b, "u2", 3, 3);
  commit(4, {posted(1, "one"), posted(2, "two")});
  commit(6, {posted(3, "three")});
  using seen = std::vector<std::pair<std::uint64_t, std::string>>;
  seen want{{4, "room.message_posted"},
            {5, "room.message_posted"},
            {6, "room.message_posted"}};
  CAF_CHECK(events_in(a.frames) == want);
  CAF_CHECK(events_in(b.frames) == want);
  // Each was told it is subscribed first; a saw b come online.
  using types = std::vector<std::string>;
  CAF_CHECK(types_in(a.frames)
            == (types{"subscribed", "presence", "room.message_posted",
                      "room.message_posted", "room.message_posted"}));
  auto b_subscribed = frames_in(b.frames).front();
  CAF_CHECK_EQUAL(b_subscribed.at("online"), nlohmann::json::array({"u1"}));
  // Batches of other aggregates' kinds are not the fan-out's.
  self->send(fanout, actors::committed_atom::value,
             batch(aggregate_kind::user, "r", 7, {posted(4, "x")}));
  run();
  CAF_CHECK_EQUAL(events_in(a.frames).size(), 3u);
}

CAF_TEST(a_reconnect_recovers_what_the_buffer_holds_else_it_is_told_to_reload) {
  auto a = subscriber();
  subscribe(a, "u1", 0, 0);
  commit(1, {posted(1, "a"), posted(2, "b"), posted(3, "c")});
  auto b = subscriber();
  auto reply = subscribe(b, "u2", 1, 3);
  CAF_CHECK(reply.recovered);
  CAF_CHECK_EQUAL(reply.missed, 2u);
  // The subscribed frame, then what it missed, before anything live.
  commit(4, {posted(4, "d")});
  using seen = std::vector<std::pair<std::uint64_t, std::string>>;
  CAF_CHECK(events_in(b.frames)
            == (seen{{2, "room.message_posted"},
                     {3, "room.message_posted"},
                     {4, "room.message_posted"}}));
  auto first = frames_in(b.frames).front();
  CAF_CHECK_EQUAL(first.at("type"), "subscribed");
  CAF_CHECK_EQUAL(first.at("seq"), 3);
  CAF_CHECK_EQUAL(first.at("online"), nlohmann::json::array({"u1"}));
  // Four kept per room: after seq 5 to 9 the buffer starts at 6.
  commit(5, {posted(5, "e"), posted(6, "f"), posted(7, "g"), posted(8, "h"),
             posted(9, "i")});
  CAF_CHECK_EQUAL(stats().buffered, 4u);
  auto c = subscriber();
  auto late = subscribe(c, "u3", 2, 9);
  CAF_CHECK(!late.recovered);
  CAF_CHECK_EQUAL(late.missed, 0u);
  using types = std::vector<std::string>;
  CAF_CHECK(types_in(c.frames) == (types{"subscribed", "recovery_impossible"}));
}

CAF_TEST(a_reconnect_further_back_than_the_buffer_is_caught_up_from_history) {
  auto a = subscriber();
  subscribe(a, "u1", 0, 0);
  commit(1, {posted(1, "a"), posted(2, "b"), posted(3, "c"), posted(4, "d"),
             posted(5, "e"), posted(6, "f")});
  // The buffer holds 3 to 6; the client saw 1. Nothing is written yet: the
  // reply says how far the history must go.
  auto b = subscriber();
  auto first = subscribe(b, "u2", 1, 6, true);
  CAF_CHECK(!first.recovered);
  CAF_REQUIRE(first.history_through);
  CAF_CHECK_EQUAL(*first.history_through, 2u);
  CAF_CHECK(b.frames->empty());
  // While the history is read, the room goes on.
  commit(7, {posted(7, "g")});
  // With the history's frame for 2 as the prelude: subscribed, 2, and then
  // 3 is gone too (the buffer holds 4 to 7 now), so the client is told.
  auto frame_of = [](std::uint64_t seq) {
    return nlohmann::json{{"type", "event"},
                          {"room", "r"},
                          {"seq", seq},
                          {"event", "room.message_posted"},
                          {"payload", nlohmann::json::object()}}
      .dump();
  };
  auto lost = subscribe(b, "u2", 2, 6, false, {frame_of(2)});
  CAF_CHECK(!lost.recovered);
  using types = std::vector<std::string>;
  CAF_CHECK(
    types_in(b.frames)
    == (types{"subscribed", "room.message_posted", "recovery_impossible"}));
  // A client the buffer still reaches after the history: all of it, once,
  // in order.
  auto c = subscriber();
  auto ask_c = subscribe(c, "u3", 1, 7, true);
  CAF_REQUIRE(ask_c.history_through);
  CAF_CHECK_EQUAL(*ask_c.history_through, 3u);
  auto then = subscribe(c, "u3", 3, 7, false, {frame_of(2), frame_of(3)});
  CAF_CHECK(then.recovered);
  CAF_CHECK_EQUAL(then.missed, 4u);
  using seen = std::vector<std::pair<std::uint64_t, std::string>>;
  seen want;
  for (std::uint64_t seq = 2; seq <= 7; ++seq)
    want.emplace_back(seq, "room.message_posted");
  CAF_CHECK(events_in(c.frames) == want);
  auto c_types = types_in(c.frames);
  CAF_CHECK_EQUAL(c_types.front(), "subscribed");
}

CAF_TEST(a_new_subscriber_gets_what_came_after_its_membership_check) {
  auto a = subscriber();
  subscribe(a, "u1", 0, 0);
  commit(1, {posted(1, "a"), posted(2, "b")});
  // u2 checked its membership at seq 1; seq 2 came before it subscribed.
  auto b = subscriber();
  auto reply = subscribe(b, "u2", std::numeric_limits<std::uint64_t>::max(), 1);
  CAF_CHECK(reply.recovered);
  CAF_CHECK_EQUAL(reply.missed, 1u);
  using seen = std::vector<std::pair<std::uint64_t, std::string>>;
  CAF_CHECK(events_in(b.frames) == (seen{{2, "room.message_posted"}}));
}

CAF_TEST(a_kicked_member_is_told_and_gets_nothing_more_of_the_room) {
  auto a = subscriber();
  auto b = subscriber();
  subscribe(a, "u1", 0, 0);
  subscribe(b, "u2", 0, 0);
  self->send(fanout, actors::committed_atom::value,
             batch(aggregate_kind::room, "r", 1, {kicked("u2")}));
  expect((actors::committed_atom, actors::committed_ptr),
         from(self).to(fanout));
  expect(
    (dropped_atom, std::string, std::string),
    from(fanout).to(b.actor).with(_, std::string{"r"}, std::string{"kicked"}));
  run();
  // The kick's own frame first, then the end of the subscription.
  using types = std::vector<std::string>;
  CAF_CHECK(types_in(b.frames)
            == (types{"subscribed", "room.member_kicked", "unsubscribed"}));
  auto unsubscribed = frames_in(b.frames).back();
  CAF_CHECK_EQUAL(unsubscribed.at("reason"), "kicked");
  commit(2, {posted(1, "after")});
  CAF_CHECK_EQUAL(events_in(b.frames).size(), 1u); // the kick only
  CAF_CHECK_EQUAL(events_in(a.frames).size(), 2u);
  auto last_of_a = frames_in(a.frames).back();
  CAF_CHECK_EQUAL(last_of_a.at("type"), "event");
  CAF_CHECK_EQUAL(stats().subscribers, 1u);
  // Subscribing with a membership check made before the kick is refused,
  // and nothing is written to it.
  auto b2 = subscriber();
  CAF_CHECK(subscribe(b2, "u2", 0, 0).refused);
  CAF_CHECK(b2.frames->empty());
}

CAF_TEST(a_batch_is_one_message_per_subscriber_split_where_a_member_leaves) {
  auto a = subscriber();
  auto b = subscriber();
  subscribe(a, "u1", 0, 0);
  subscribe(b, "u2", 0, 0);
  auto before_a = messages_in(a.frames);
  auto before_b = messages_in(b.frames);
  commit(1, {posted(1, "one"), posted(2, "two"), posted(3, "three")});
  // Three events, one message each: a frame per line, in commit order.
  CAF_CHECK_EQUAL(messages_in(a.frames), before_a + 1);
  CAF_CHECK_EQUAL(messages_in(b.frames), before_b + 1);
  using seen = std::vector<std::pair<std::uint64_t, std::string>>;
  seen three{{1, "room.message_posted"},
             {2, "room.message_posted"},
             {3, "room.message_posted"}};
  CAF_CHECK(events_in(a.frames) == three);
  // A kick inside a batch: what came before it and the kick go to both,
  // what comes after it only to those still members.
  commit(4, {posted(4, "four"), kicked("u2"), posted(5, "five")});
  seen a_wants = three;
  a_wants.insert(a_wants.end(), {{4, "room.message_posted"},
                                 {5, "room.member_kicked"},
                                 {6, "room.message_posted"}});
  CAF_CHECK(events_in(a.frames) == a_wants);
  seen b_wants = three;
  b_wants.insert(b_wants.end(),
                 {{4, "room.message_posted"}, {5, "room.member_kicked"}});
  CAF_CHECK(events_in(b.frames) == b_wants);
  auto b_types = types_in(b.frames);
  CAF_CHECK_EQUAL(b_types.back(), "unsubscribed");
  // The recent buffer keeps the events one by one, for recovery.
  auto c = subscriber();
  auto reply = subscribe(c, "u3", 4, 6);
  CAF_CHECK(reply.recovered);
  CAF_CHECK_EQUAL(reply.missed, 2u);
}

CAF_TEST(
  a_subscriber_that_ends_is_forgotten_and_an_unwatched_room_s_buffer_goes_after_idle_sweeps) {
  auto a = subscriber();
  subscribe(a, "u1", 0, 0);
  commit(1, {posted(1, "a")});
  CAF_CHECK_EQUAL(stats().subscribers, 1u);
  anon_send_exit(a.actor, caf::exit_reason::user_shutdown);
  run();
  auto s = stats();
  CAF_CHECK_EQUAL(s.subscribers, 0u);
  CAF_CHECK_EQUAL(s.rooms, 1u); // kept a while for a reconnect
  CAF_CHECK_EQUAL(s.buffered, 1u);
  for (int i = 0; i < options.idle_sweeps; ++i) {
    self->send(fanout, sweep_atom::value);
    run();
  }
  s = stats();
  CAF_CHECK_EQUAL(s.rooms, 0u);
  CAF_CHECK_EQUAL(s.buffered, 0u);
  // Events for a room nobody watches keep nothing.
  commit(2, {posted(2, "b")});
  CAF_CHECK_EQUAL(stats().rooms, 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()
