// The notification hub under CAF's test coordinator: delivery to every
// connection of a user, resumption, and the bounds on what it keeps.
#define CAF_SUITE notification_hub

#include "gateway/notification_hub.hpp"

#include "tests/actors_dsl/fixture.hpp"

using namespace moim;
using namespace moim::gateway;
using namespace moim::test;
using events::aggregate_kind;
using events::any_event;

namespace {

/// u1 befriends `who`: a friend_added notification for `who`.
any_event befriended(const std::string& who) {
  return events::user_friend_added{events::user_id{"u1"}, events::user_id{who}};
}

/// The ids of the notices in `r`, in order.
std::vector<std::string> notice_ids(const record& r) {
  std::vector<std::string> out;
  for (const auto& line : *r)
    if (line.rfind("notice ", 0) == 0)
      out.push_back(line.substr(7, line.find(' ', 7) - 7));
  return out;
}

struct fixture : actor_fixture {
  hub_options options;
  notification_hub_actor hub;
  std::uint64_t seq = 1;

  fixture() {
    options.kept_per_user = 3;
    options.idle_sweeps = 2;
    options.max_inboxes = 4;
    hub = spawn_notification_hub(sys, options);
    run();
  }

  listen_reply listen(const connection_actor& who, const std::string& user,
                      const std::string& last_id) {
    return ask<listen_reply>(hub, listen_atom::value,
                             caf::actor_cast<notice_listener>(who), user,
                             last_id);
  }

  /// Commits one friend_added for each of `users`; their notification ids.
  std::vector<std::string> notify(const std::vector<std::string>& users) {
    std::vector<any_event> evs;
    for (const auto& u : users)
      evs.push_back(befriended(u));
    auto b = batch(aggregate_kind::user, "u1", seq, evs);
    seq += users.size();
    std::vector<std::string> ids;
    for (const auto& e : b->events)
      ids.push_back(e.id.value());
    self->send(hub, actors::committed_atom::value, b);
    run();
    return ids;
  }

  hub_stats stats() {
    return ask<hub_stats>(hub, hub_stats_atom::value);
  }

  void sweep() {
    self->send(hub, hub_sweep_atom::value);
    run();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(notification_hub_tests, fixture)

CAF_TEST(every_connection_of_the_user_gets_its_notifications_in_order) {
  auto [ws, rws] = connection();
  auto [sse, rsse] = connection();
  auto [other, rother] = connection();
  listen(ws, "u2", "");
  listen(sse, "u2", "");
  listen(other, "u3", "");
  auto ids = notify({"u2", "u2"});
  CAF_CHECK(notice_ids(rws) == ids);
  CAF_CHECK(notice_ids(rsse) == ids);
  CAF_CHECK(notice_ids(rother).empty());
}

CAF_TEST(a_resumption_gets_what_came_after_its_id_or_everything_and_reset) {
  auto first = notify({"u2"});
  auto more = notify({"u2", "u2"});
  auto [c, rc] = connection();
  auto reply = listen(c, "u2", first[0]);
  CAF_CHECK(reply.recovered);
  CAF_REQUIRE_EQUAL(reply.missed.size(), 2u);
  CAF_CHECK_EQUAL(reply.missed[0].first, more[0]);
  CAF_CHECK_EQUAL(reply.missed[1].first, more[1]);
  // A garbage id is not one of ours: all that is kept, and a reset.
  for (const char* garbage : {"yesterday", "-", "zzzzzzzz-zzzz"}) {
    auto [g, rg] = connection();
    auto bad = listen(g, "u2", garbage);
    CAF_CHECK(!bad.recovered);
    CAF_CHECK_EQUAL(bad.missed.size(), 3u);
  }
  // Three kept per user: the first falls out, and resuming from it still
  // recovers (everything after it is kept); from before it does not.
  notify({"u2"});
  CAF_CHECK_EQUAL(stats().kept, 3u);
  auto [d, rd] = connection();
  CAF_CHECK(listen(d, "u2", first[0]).recovered);
  // An id from before the inbox existed (ids are time-ordered) cannot be
  // vouched for.
  auto [e, re] = connection();
  CAF_CHECK(!listen(e, "u2", "00000000-0000-7000-8000-000000000000").recovered);
}

CAF_TEST(inboxes_of_users_long_gone_are_dropped_and_their_number_is_capped) {
  auto [c, rc] = connection();
  listen(c, "u2", "");
  notify({"u3", "u4"}); // inboxes without listeners
  CAF_CHECK_EQUAL(stats().inboxes, 3u);
  sweep();
  CAF_CHECK_EQUAL(stats().inboxes, 3u);
  sweep(); // idle for two sweeps: gone; u2 has a listener and stays
  auto s = stats();
  CAF_CHECK_EQUAL(s.inboxes, 1u);
  CAF_CHECK_EQUAL(s.kept, 0u);
  // A listener that ends is forgotten; its inbox then idles out too.
  anon_send_exit(c, caf::exit_reason::user_shutdown);
  run();
  CAF_CHECK_EQUAL(stats().listeners, 0u);
  sweep();
  sweep();
  CAF_CHECK_EQUAL(stats().inboxes, 0u);
  // At most four inboxes: the longest idle go first, never one with a
  // listener or the one just made.
  auto [l, rl] = connection();
  listen(l, "keep", "");
  notify({"a", "b", "c", "d", "e"});
  s = stats();
  CAF_CHECK_EQUAL(s.inboxes, 4u);
  CAF_CHECK_EQUAL(s.listeners, 1u);
  auto [late, rlate] = connection();
  auto reply = listen(late, "a", "");
  CAF_CHECK(reply.missed.empty()); // a's inbox was evicted first
  notify({"keep"});
  CAF_CHECK_EQUAL(notice_ids(rl).size(), 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
