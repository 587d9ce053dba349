// The rules of the aggregates, decided without actors or a log.

#include "actors/domain/room_aggregate.hpp"
#include "actors/domain/schedule_aggregate.hpp"
#include "actors/domain/user_aggregate.hpp"
#include "actors/domain/validation.hpp"

#include <catch2/catch.hpp>

using namespace moim;
using namespace moim::actors;
using events::user_id;

namespace {

/// Decides and, when accepted, applies; returns the decision.
template<class Aggregate, class Command>
decision run(typename Aggregate::state_type& state, const Command& command,
             const std::string& id = "agg-1") {
  auto d
    = Aggregate::decide(state, id, typename Aggregate::command_type{command});
  if (d)
    for (const auto& e : *d)
      Aggregate::apply(state, e);
  return d;
}

template<class Aggregate, class Command>
rejection_code rejected(typename Aggregate::state_type& state,
                        const Command& command) {
  auto before = nlohmann::json(state);
  auto d = run<Aggregate>(state, command);
  REQUIRE_FALSE(d);
  CHECK_FALSE(d.err().reason.empty());
  CHECK(nlohmann::json(state) == before); // a rejection changes nothing
  return d.err().code;
}

user_id u(const char* name) {
  return user_id{name};
}

room_state open_room(std::uint32_t limit = 3) {
  room_state s;
  REQUIRE(run<room_aggregate>(
    s, create_room{u("owner"), "Runners", "", {"run"}, limit, true}));
  return s;
}

} // namespace

TEST_CASE("room: create makes the owner a member, twice is already_exists") {
  auto s = open_room();
  CHECK(s.members.count("owner") == 1);
  CHECK(
    rejected<room_aggregate>(s, create_room{u("x"), "Other", "", {}, 5, true})
    == rejection_code::already_exists);
}

TEST_CASE("room: every rejection of the room's rules") {
  auto s = open_room(3);
  REQUIRE(run<room_aggregate>(s, join_room{u("a")}));
  REQUIRE(run<room_aggregate>(s, join_room{u("b")}));
  CHECK(rejected<room_aggregate>(s, join_room{u("c")}) == rejection_code::full);
  CHECK(rejected<room_aggregate>(s, join_room{u("a")})
        == rejection_code::already_member);
  CHECK(rejected<room_aggregate>(s, post_message{u("c"), "hi", ""})
        == rejection_code::not_member);
  CHECK(rejected<room_aggregate>(s, post_message{u("a"), "", ""})
        == rejection_code::invalid);
  CHECK(rejected<room_aggregate>(
          s, post_message{u("a"), std::string(max_message_bytes + 1, 'x'), ""})
        == rejection_code::invalid);
  CHECK(rejected<room_aggregate>(s, post_message{u("a"), "\xff\xfe", ""})
        == rejection_code::invalid);
  CHECK(rejected<room_aggregate>(s, kick_member{u("a"), u("b"), ""})
        == rejection_code::not_owner);
  CHECK(rejected<room_aggregate>(s, ban_member{u("a"), u("b"), ""})
        == rejection_code::not_owner);
  CHECK(rejected<room_aggregate>(s, close_room{u("a")})
        == rejection_code::not_owner);
  CHECK(
    rejected<room_aggregate>(s, update_room{u("a"), "New", "", {}, 10, true})
    == rejection_code::not_owner);
  CHECK(rejected<room_aggregate>(s, leave_room{u("c")})
        == rejection_code::not_member);
  CHECK(rejected<room_aggregate>(s, leave_room{u("owner")})
        == rejection_code::invalid);

  REQUIRE(run<room_aggregate>(s, ban_member{u("owner"), u("b"), "spam"}));
  CHECK(s.members.count("b") == 0);
  CHECK(rejected<room_aggregate>(s, join_room{u("b")})
        == rejection_code::banned);
  REQUIRE(run<room_aggregate>(s, kick_member{u("owner"), u("a"), ""}));
  CHECK(rejected<room_aggregate>(s, kick_member{u("owner"), u("a"), ""})
        == rejection_code::not_member);

  REQUIRE(run<room_aggregate>(s, close_room{u("owner")}));
  CHECK(rejected<room_aggregate>(s, join_room{u("z")})
        == rejection_code::closed);
  room_state none;
  CHECK(rejected<room_aggregate>(none, join_room{u("z")})
        == rejection_code::not_found);
}

TEST_CASE("room: messages get room-local sequence numbers, only the author "
          "edits, the author or owner deletes") {
  auto s = open_room(10);
  REQUIRE(run<room_aggregate>(s, join_room{u("a")}));
  REQUIRE(run<room_aggregate>(s, join_room{u("b")}));
  for (std::uint64_t i = 1; i <= 3; ++i) {
    auto d = run<room_aggregate>(s, post_message{u("a"), "m", ""});
    REQUIRE(d);
    CHECK(std::get<events::room_message_posted>(d->front()).message.value()
          == i);
  }
  CHECK(rejected<room_aggregate>(
          s, edit_message{u("b"), events::message_seq{2}, "x"})
        == rejection_code::not_owner);
  CHECK(rejected<room_aggregate>(
          s, edit_message{u("a"), events::message_seq{9}, "x"})
        == rejection_code::not_found);
  REQUIRE(run<room_aggregate>(
    s, edit_message{u("a"), events::message_seq{2}, "edited"}));
  CHECK(
    rejected<room_aggregate>(s, delete_message{u("b"), events::message_seq{2}})
    == rejection_code::not_owner);
  REQUIRE(
    run<room_aggregate>(s, delete_message{u("owner"), events::message_seq{2}}));
  CHECK(
    rejected<room_aggregate>(s, delete_message{u("a"), events::message_seq{2}})
    == rejection_code::not_found);
}

TEST_CASE("room: its state stays bounded whatever its age, old messages "
          "are past the edit window") {
  auto s = open_room(10);
  REQUIRE(run<room_aggregate>(s, join_room{u("a")}));
  auto total = edit_window * 5;
  for (std::uint64_t i = 1; i <= total; ++i)
    REQUIRE(run<room_aggregate>(s, post_message{u("a"), "m", ""}));
  CHECK(s.last_message == total);
  CHECK(s.authors.size() == edit_window);
  CHECK(s.authors.begin()->first == total - edit_window + 1);

  auto oldest_editable = events::message_seq{total - edit_window + 1};
  auto too_old = events::message_seq{total - edit_window};
  REQUIRE(run<room_aggregate>(s, edit_message{u("a"), oldest_editable, "e"}));
  CHECK(rejected<room_aggregate>(s, edit_message{u("a"), too_old, "e"})
        == rejection_code::too_old);
  CHECK(rejected<room_aggregate>(s, delete_message{u("a"), too_old})
        == rejection_code::too_old);
  // The owner moderates any message the room has given out, no more.
  REQUIRE(run<room_aggregate>(s, delete_message{u("owner"), too_old}));
  REQUIRE(
    run<room_aggregate>(s, delete_message{u("owner"), events::message_seq{1}}));
  CHECK(rejected<room_aggregate>(
          s, delete_message{u("owner"), events::message_seq{total + 1}})
        == rejection_code::not_found);
  CHECK(rejected<room_aggregate>(
          s, delete_message{u("owner"), events::message_seq{0}})
        == rejection_code::not_found);
}

TEST_CASE("room: a direct room holds exactly its two users") {
  room_state s;
  REQUIRE(run<room_aggregate>(s, create_direct_room{u("a"), u("b")}));
  CHECK(s.direct);
  CHECK(s.members.size() == 2);
  CHECK(rejected<room_aggregate>(s, join_room{u("c")}) == rejection_code::full);
  room_state self;
  CHECK(rejected<room_aggregate>(self, create_direct_room{u("a"), u("a")})
        == rejection_code::invalid);
}

TEST_CASE("schedule: seats up to capacity, then the waitlist in order, "
          "releases promote the first waiting") {
  schedule_state s;
  REQUIRE(run<schedule_aggregate>(
    s, create_schedule{events::room_id{"r"}, u("owner"), "Run",
                       "2027-01-01T07:00:00Z", "Park", 2}));
  REQUIRE(run<schedule_aggregate>(s, take_seat{u("a")}));
  REQUIRE(run<schedule_aggregate>(s, take_seat{u("b")}));
  auto w1 = run<schedule_aggregate>(s, take_seat{u("c")});
  REQUIRE(w1);
  CHECK(std::get<events::schedule_waitlisted>(w1->front()).place_in_line == 1);
  REQUIRE(run<schedule_aggregate>(s, take_seat{u("d")}));
  CHECK(s.seated == std::vector<std::string>{"a", "b"});
  CHECK(s.waitlist == std::vector<std::string>{"c", "d"});
  CHECK(rejected<schedule_aggregate>(s, take_seat{u("a")})
        == rejection_code::already_seated);
  CHECK(rejected<schedule_aggregate>(s, take_seat{u("c")})
        == rejection_code::already_seated);
  CHECK(rejected<schedule_aggregate>(s, release_seat{u("zz")})
        == rejection_code::not_seated);

  auto released = run<schedule_aggregate>(s, release_seat{u("a")});
  REQUIRE(released);
  REQUIRE(released->size() == 2);
  CHECK(std::get<events::schedule_promoted>(released->at(1)).member == u("c"));
  CHECK(s.seated == std::vector<std::string>{"b", "c"});
  CHECK(s.waitlist == std::vector<std::string>{"d"});
  REQUIRE(run<schedule_aggregate>(s, release_seat{u("d")})); // leaves the line
  CHECK(s.waitlist.empty());

  CHECK(rejected<schedule_aggregate>(s, close_schedule{u("b")})
        == rejection_code::not_owner);
  REQUIRE(run<schedule_aggregate>(s, close_schedule{u("owner")}));
  CHECK(rejected<schedule_aggregate>(s, take_seat{u("e")})
        == rejection_code::closed);
  schedule_state bad;
  CHECK(rejected<schedule_aggregate>(
          bad, create_schedule{events::room_id{"r"}, u("o"), "T", "x", "p", 0})
        == rejection_code::invalid);
}

TEST_CASE("user: register once per username, profile, friends, deactivation") {
  user_state s;
  auto id = user_id_for_username("Minji").value();
  CHECK(id == "u-minji");
  REQUIRE(run<user_aggregate>(
    s, register_user{"Minji", "Minji K", "", "$argon2id$x"}));
  CHECK(rejected<user_aggregate>(s, register_user{"minji", "Other", "", "$h"})
        == rejection_code::name_taken);
  user_state fresh;
  CHECK(rejected<user_aggregate>(fresh, register_user{"a b", "x", "", "$h"})
        == rejection_code::invalid);
  CHECK(rejected<user_aggregate>(fresh, change_profile{"x", ""})
        == rejection_code::not_found);
  REQUIRE(
    run<user_aggregate>(s, change_profile{"Minji Kim", "https://x/y.png"}));
  CHECK(s.display_name == "Minji Kim");
  REQUIRE(run<user_aggregate>(s, add_friend{u("u-jisoo")}));
  CHECK(rejected<user_aggregate>(s, add_friend{u("u-jisoo")})
        == rejection_code::friendship);
  CHECK(rejected<user_aggregate>(s, add_friend{u("agg-1")})
        == rejection_code::invalid); // oneself (the test's aggregate id)
  REQUIRE(run<user_aggregate>(s, remove_friend{u("u-jisoo")}));
  CHECK(rejected<user_aggregate>(s, remove_friend{u("u-jisoo")})
        == rejection_code::friendship);
  REQUIRE(run<user_aggregate>(s, deactivate_user{"bye"}));
  CHECK(rejected<user_aggregate>(s, change_profile{"x", ""})
        == rejection_code::closed);
}

TEST_CASE("validation: RFC 3339 times, no control characters, one client "
          "message id limit") {
  for (const char* good :
       {"2027-01-02T07:00:00+09:00", "2027-01-01T22:00:00Z",
        "2027-01-01T22:00:00.250z", "2028-02-29T00:00:00-05:30"})
    CHECK_FALSE(check_timestamp("starts_at", good));
  for (const char* bad :
       {"yesterday-ish", "", "2027-01-01", "2027-01-01T07:00",
        "2027-01-01T07:00:00", "2027-01-01 07:00:00Z", "2027-13-01T07:00:00Z",
        "2027-02-30T07:00:00Z", "2027-01-01T25:00:00Z",
        "2027-01-01T07:00:00+24:00", "2027-01-01T07:00:00.Z",
        "2027-01-01T07:00:00Zjunk"}) {
    INFO(bad);
    auto r = check_timestamp("starts_at", bad);
    REQUIRE(r);
    CHECK(r->code == rejection_code::invalid);
    CHECK_THAT(r->reason, Catch::Contains("RFC 3339"));
  }
  CHECK(check_text("name", std::string("a\0b", 3), 1, 10));
  CHECK(check_text("name", "a\x1b[31m", 1, 10));
  CHECK_FALSE(check_text("text", "two\nlines\tand a tab", 1, 100));

  auto s = open_room(3);
  CHECK(rejected<room_aggregate>(
          s, post_message{u("owner"), std::string("hi\0", 3), ""})
        == rejection_code::invalid);
  CHECK(rejected<room_aggregate>(
          s, post_message{u("owner"), "hi",
                          std::string(max_client_message_id_bytes + 1, 'c')})
        == rejection_code::invalid);
  CHECK(run<room_aggregate>(
    s, post_message{u("owner"), "hi",
                    std::string(max_client_message_id_bytes, 'c')}));
  schedule_state sched;
  CHECK(rejected<schedule_aggregate>(
          sched, create_schedule{events::room_id{"r"}, u("o"), "T",
                                 "yesterday-ish", "p", 5})
        == rejection_code::invalid);
}
