// Notifications kept in the Postgres read model: the list with read marks,
// and an SSE stream that resumes across a moimd restart (the hub's memory
// is empty then) without a reset.

#include "tests/support/moimd_node.hpp"
#include "tests/support/sse_client.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace moim::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// The next event that is not a comment.
std::optional<sse_client::event> next_event(sse_client& s) {
  for (int i = 0; i < 20; ++i) {
    auto e = s.next(5s);
    if (!e || e->type != ":")
      return e;
  }
  return std::nullopt;
}

} // namespace

TEST_CASE("notifications: listed with read marks from Postgres, marked "
          "read, and resumed over SSE after a restart without a reset",
          "[e2e]") {
  moimd_node node{{"--postgres.url", stack_env("MOIM_POSTGRES_URL")}};
  auto [a, ta] = node.user("nara");
  auto [b, tb] = node.user("bora");
  auto [c, tc] = node.user("cora");

  auto added = node.call("PUT", "/v1/users/me/friends/" + a, json{}, 200, tb);
  auto list = node.query("/v1/notifications?after_position="
                           + added["position"].get<std::string>(),
                         ta);
  REQUIRE(list["notifications"].size() == 1);
  auto first = list["notifications"][0];
  CHECK(first["kind"] == "friend_added");
  CHECK(first["user"] == b);
  CHECK(first["read"] == false);
  CHECK(list["unread"] == 1);
  auto first_id = first["id"].get<std::string>();

  auto marked = node.call("POST", "/v1/notifications/read",
                          {{"up_to", first_id}}, 200, ta);
  list = node.query("/v1/notifications?after_position="
                      + marked["position"].get<std::string>(),
                    ta);
  REQUIRE(list["notifications"].size() == 1);
  CHECK(list["notifications"][0]["read"] == true);
  CHECK(list["unread"] == 0);
  // Someone else's list is their own.
  CHECK(node.call("GET", "/v1/notifications", json{}, 200, tb)["notifications"]
          .empty());
  node.call("POST", "/v1/notifications/read", json::object(), 400, ta);
  node.call("GET", "/v1/notifications?limit=0", json{}, 400, ta);

  // A second one, then a restart: the hub forgets, Postgres does not.
  auto again = node.call("PUT", "/v1/users/me/friends/" + a, json{}, 200, tc);
  node.query("/v1/notifications?after_position="
               + again["position"].get<std::string>(),
             ta);
  node.signal(SIGTERM);
  REQUIRE(node.wait_exit(30s));
  node.restart();
  node.wait_ready();
  auto s = sse_client::connect(
    node.port, "/v1/notifications/stream",
    {{"Authorization", "Bearer " + ta}, {"Last-Event-ID", first_id}});
  REQUIRE(s);
  auto ready = next_event(*s);
  REQUIRE(ready);
  CHECK(ready->type == "ready");
  auto missed = next_event(*s);
  REQUIRE(missed);
  CHECK(missed->type == "notification"); // not "reset"
  CHECK(json::parse(missed->data)["user"] == c);
  CHECK(missed->id > first_id);
  // Still listed after the restart, the first read, the second not.
  list = node.call("GET", "/v1/notifications", json{}, 200, ta);
  REQUIRE(list["notifications"].size() == 2);
  CHECK(list["notifications"][0]["read"] == false);
  CHECK(list["notifications"][1]["read"] == true);
  CHECK(list["unread"] == 1);
}
