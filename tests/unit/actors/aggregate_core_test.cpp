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
  core.commit(core.decide({create}));
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
  core.commit(std::move(plan));
  auto again = core.decide({post});
  CHECK(again.appends.empty());
  REQUIRE(again.replies.at(0));
  CHECK(again.replies.at(0)->duplicate);
  CHECK(again.seq == core.seq());
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
  core.commit(core.decide(
    {room_cmd(create_room{events::user_id{"u"}, "R", "", {}, 10, true})}));
  auto post = room_cmd(post_message{events::user_id{"u"}, "hi", ""});
  const auto created = core.seq(); // the room and its owner's membership

  SECTION("several commands: each sees what the earlier ones did") {
    auto plan = core.decide({post, post, post});
    REQUIRE(plan.appends.size() == 3);
    REQUIRE(plan.replies.at(2));
    const auto& third = plan.replies.at(2)->events.at(0);
    CHECK(std::get<events::room_message_posted>(third).message.value() == 3);
    core.commit(std::move(plan));
    CHECK(core.state().last_message == 3);
    CHECK(core.seq() == created + 3);
  }
  SECTION("aborted: back to the state and sequence number the log has") {
    core.commit(core.decide({post})); // committed after the base
    auto plan = core.decide({post, post});
    CHECK(core.state().last_message == 3); // in place, ahead of the log
    core.abort();
    CHECK(core.seq() == created + 1);
    CHECK(core.state().last_message == 1);
    CHECK(core.state().authors.size() == 1);
    auto again = core.decide({post});
    CHECK(again.seq == created + 2); // the same number once more
    core.commit(std::move(again));
    CHECK(core.state().last_message == 2);
  }
  SECTION("aborted after a snapshot: the snapshot is the base") {
    core.commit(core.decide({post, post}));
    auto snap = core.snapshot();
    core.commit(core.decide({post}));
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
