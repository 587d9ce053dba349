#include "actors/domain/room_aggregate.hpp"
#include "actors/hosting/aggregate_core.hpp"

#include <catch2/catch.hpp>

using namespace moim;
using namespace moim::actors;

namespace {

/// Message n of room "r", posted with idempotency key "k-<n>", all in the
/// same millisecond.
events::event_envelope posted(std::uint64_t n) {
  events::room_message_posted e{events::room_id{"r"}, events::message_seq{n},
                                events::user_id{"u"}, "text",
                                std::to_string(n)};
  return events::encode(e, {events::aggregate_id{"r"},
                            events::aggregate_seq{n},
                            {},
                            {},
                            events::idempotency_key{"k-" + std::to_string(n)},
                            events::new_event_id(),
                            events::timestamp{std::chrono::milliseconds{5}}});
}

/// Decides `commands` and has the log take them.
void decide_and_commit(aggregate_core<room_aggregate>& core,
                       const std::vector<command_envelope>& commands) {
  auto plan = core.decide(commands);
  if (!plan.appends.empty())
    core.commit();
}

void replay(aggregate_core<room_aggregate>& core, std::uint64_t from,
            std::uint64_t to) {
  for (auto n = from; n <= to; ++n) {
    auto env = posted(n);
    auto decoded = events::decode(env);
    REQUIRE(decoded);
    core.replay(env, decoded->front().event);
  }
}

} // namespace

TEST_CASE("aggregate core: a core from a snapshot forgets the same keys as "
          "a replay of the whole log") {
  // More keys than are kept (1,000), sharing one millisecond, named so
  // that their text order ("k-1000" < "k-999") is not their log order.
  aggregate_core<room_aggregate> replayed{"r"};
  replay(replayed, 1, 1200);

  aggregate_core<room_aggregate> halfway{"r"};
  replay(halfway, 1, 1100);
  auto restored
    = aggregate_core<room_aggregate>::from_snapshot(halfway.snapshot());
  replay(restored, 1101, 1200);

  CHECK(restored.snapshot().data == replayed.snapshot().data);
  CHECK(restored.seq() == 1200);
}

TEST_CASE("aggregate core: a key repeated in one batch or after it answers "
          "with the first result") {
  aggregate_core<room_aggregate> core{"r"};
  command_envelope create{
    events::aggregate_kind::room,
    events::aggregate_id{"r"},
    room_command{create_room{events::user_id{"u"}, "R", "", {}, 10, true}},
    {},
    {},
    {}};
  decide_and_commit(core, {create});
  command_envelope post{
    events::aggregate_kind::room,
    events::aggregate_id{"r"},
    room_command{post_message{events::user_id{"u"}, "hi", "c1"}},
    events::idempotency_key{"u:c1"},
    {},
    {}};
  auto plan = core.decide({post, post});
  CHECK(plan.appends.size() == 1);
  REQUIRE(plan.replies.at(1));
  CHECK(plan.replies.at(1)->duplicate);
  CHECK(plan.replies.at(1)->first_seq == plan.replies.at(0)->first_seq);
  // While the batch is in flight, and after it is in.
  auto meanwhile = core.decide({post});
  CHECK(meanwhile.appends.empty());
  REQUIRE(meanwhile.replies.at(0));
  CHECK(meanwhile.replies.at(0)->duplicate);
  core.commit();
  auto again = core.decide({post});
  CHECK(again.appends.empty());
  REQUIRE(again.replies.at(0));
  CHECK(again.replies.at(0)->duplicate);
  CHECK(again.seq == core.seq());
  CHECK(core.in_flight() == 0);
}

namespace {

command_envelope room_cmd(room_command c) {
  return {events::aggregate_kind::room,
          events::aggregate_id{"r"},
          std::move(c),
          {},
          {},
          {}};
}

} // namespace

TEST_CASE("aggregate core: a batch is decided on the live state, and an "
          "aborted one leaves the state the log holds") {
  aggregate_core<room_aggregate> core{"r"};
  decide_and_commit(
    core, {room_cmd(create_room{events::user_id{"u"}, "R", "", {}, 10, true})});
  auto post = room_cmd(post_message{events::user_id{"u"}, "hi", ""});
  const auto created = core.seq(); // the room and its owner's membership

  SECTION("several commands: each sees what the earlier ones did") {
    auto plan = core.decide({post, post, post});
    REQUIRE(plan.appends.size() == 3);
    REQUIRE(plan.replies.at(2));
    const auto& third = plan.replies.at(2)->events.at(0);
    CHECK(std::get<events::room_message_posted>(third).message.value() == 3);
    core.commit();
    CHECK(core.state().last_message == 3);
    CHECK(core.seq() == created + 3);
  }
  SECTION("aborted: back to the state and sequence number the log has") {
    decide_and_commit(core, {post}); // committed after the base
    auto plan = core.decide({post, post});
    CHECK(core.state().last_message == 3); // in place, ahead of the log
    core.abort();
    CHECK(core.seq() == created + 1);
    CHECK(core.state().last_message == 1);
    CHECK(core.state().authors.size() == 1);
    auto again = core.decide({post});
    CHECK(again.seq == created + 2); // the same number once more
    core.commit();
    CHECK(core.state().last_message == 2);
  }
  SECTION("aborted after a snapshot: the snapshot is the base") {
    decide_and_commit(core, {post, post});
    auto snap = core.snapshot();
    decide_and_commit(core, {post});
    static_cast<void>(core.decide({post, post, post}));
    core.abort();
    CHECK(core.state().last_message == 3);
    CHECK(core.seq() == created + 3);
    auto restored = aggregate_core<room_aggregate>::from_snapshot(snap);
    static_cast<void>(restored.decide({post}));
    restored.abort();
    CHECK(restored.state().last_message == 2);
    CHECK(restored.snapshot().data == snap.data);
  }
}

TEST_CASE("aggregate core: batches in flight are decided one after another, "
          "committed oldest first, and an abort drops them all") {
  aggregate_core<room_aggregate> core{"r"};
  decide_and_commit(
    core, {room_cmd(create_room{events::user_id{"u"}, "R", "", {}, 10, true})});
  const auto created = core.seq();
  auto post = [](const std::string& key) {
    auto c = room_cmd(post_message{events::user_id{"u"}, "hi", key});
    c.idempotency = events::idempotency_key{"u:" + key};
    return c;
  };
  auto first = core.decide({post("a")});
  auto second = core.decide({post("b"), post("c")});
  CHECK(core.in_flight() == 2);
  CHECK(first.seq == created + 1);
  CHECK(second.seq == created + 3); // after the first, not the log
  REQUIRE(second.replies.at(1));
  CHECK(second.replies.at(1)->events.size() == 1);
  CHECK(core.seq() == created); // the log has neither yet

  SECTION("both taken") {
    core.commit();
    CHECK(core.seq() == created + 1);
    core.commit();
    CHECK(core.seq() == created + 3);
    CHECK(core.state().last_message == 3);
    CHECK(core.decide({post("b")}).replies.at(0)->duplicate);
  }
  SECTION("the first refused: the second goes with it") {
    core.abort();
    CHECK(core.in_flight() == 0);
    CHECK(core.seq() == created);
    CHECK(core.state().last_message == 0);
    // Its keys were never taken: the same commands post anew.
    auto retried = core.decide({post("a"), post("b")});
    CHECK(retried.appends.size() == 2);
    CHECK(retried.seq == created + 2);
  }
  SECTION("the first taken, the second refused") {
    core.commit();
    core.abort();
    CHECK(core.seq() == created + 1);
    CHECK(core.state().last_message == 1);
    CHECK(core.decide({post("a")}).replies.at(0)->duplicate);
    CHECK_FALSE(core.decide({post("b")}).replies.at(0)->duplicate);
  }
}
