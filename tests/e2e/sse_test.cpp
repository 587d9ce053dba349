// End to end over SSE: /v1/notifications/stream.

#include "tests/support/moimd_node.hpp"
#include "tests/support/sse_client.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// The next event that is not a heartbeat.
sse_client::event next(sse_client& s) {
  for (int i = 0; i < 50; ++i) {
    auto e = s.next(10s);
    REQUIRE(e);
    if (e->type != ":")
      return *e;
  }
  FAIL("only heartbeats");
  return {};
}

std::string kind_of(const sse_client::event& e) {
  return json::parse(e.data)["kind"].get<std::string>();
}

} // namespace

TEST_CASE("sse: the first event comes at once, notifications arrive live and "
          "resume after Last-Event-ID, bad tokens are refused",
          "[e2e]") {
  moimd_node n({"--notifications.heartbeat_s", "1"});
  auto [a, ta] = n.user("ping");
  auto [b, tb] = n.user("pong");
  const std::string stream = "/v1/notifications/stream";

  int status = 0;
  CHECK(sse_client::connect(n.port, stream, {}, &status) == nullptr);
  CHECK(status == 401);
  CHECK(sse_client::connect(n.port, stream + "?token=forged", {}, &status)
        == nullptr);
  CHECK(status == 401);

  // Nothing has happened yet, and still an event comes (well before the
  // first heartbeat would).
  auto s = sse_client::connect(n.port, stream + "?token=" + tb, {});
  REQUIRE(s);
  auto first = s->next(900ms);
  REQUIRE(first);
  CHECK(first->type == "ready");
  CHECK(json::parse(first->data)["user"] == b);

  // The same notification reaches the WebSocket.
  auto w = ws_client::connect(n.port, "/v1/ws?token=" + tb);
  REQUIRE(w);

  n.call("PUT", "/v1/users/me/friends/" + b, json{}, 200, ta);
  auto friended = next(*s);
  CHECK(friended.type == "notification");
  CHECK(kind_of(friended) == "friend_added");
  CHECK(json::parse(friended.data)["user"] == a);
  CHECK_FALSE(friended.id.empty());
  bool on_ws = false;
  for (int i = 0; i < 10 && !on_ws; ++i) {
    auto frame = w->receive(10s);
    REQUIRE(frame);
    auto doc = json::parse(*frame);
    on_ws = doc["type"] == "notification" && doc["id"] == friended.id;
  }
  CHECK(on_ws);

  // Heartbeats keep the stream warm.
  bool beat = false;
  for (int i = 0; i < 5 && !beat; ++i) {
    auto e = s->next(3s);
    REQUIRE(e);
    beat = e->type == ":";
  }
  CHECK(beat);
  s.reset();

  // While b is away: a mention and a kick.
  auto room = n.call("POST", "/v1/rooms", {{"name", "Ping"}}, 201, ta)["room"]
                .get<std::string>();
  n.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tb);
  auto b_name = b.substr(2); // user ids are "u-" + the username
  n.call("POST", "/v1/rooms/" + room + "/messages",
         {{"text", "hey @" + b_name + ", and @" + b_name + " again"}}, 201, ta);
  n.call("POST", "/v1/rooms/" + room + "/kick", {{"user", b}}, 200, ta);

  // Back with Last-Event-ID: exactly what was missed, in order.
  auto back = sse_client::connect(
    n.port, stream,
    {{"Authorization", "Bearer " + tb}, {"Last-Event-ID", friended.id}});
  REQUIRE(back);
  CHECK(next(*back).type == "ready");
  auto mention = next(*back);
  CHECK(kind_of(mention) == "mention");
  CHECK(json::parse(mention.data)["room"] == room);
  auto kicked = next(*back);
  CHECK(kind_of(kicked) == "kicked");
  CHECK(kicked.id > mention.id);

  // From an id older than anything kept: a reset, then all that is kept.
  auto old = sse_client::connect(
    n.port,
    stream + "?token=" + tb
      + "&last_event_id=00000000-0000-7000-8000-000000000000",
    {});
  REQUIRE(old);
  CHECK(next(*old).type == "ready");
  CHECK(next(*old).type == "reset");
  CHECK(kind_of(next(*old)) == "friend_added");
  CHECK(kind_of(next(*old)) == "mention");
  CHECK(kind_of(next(*old)) == "kicked");
}
