// End to end over WebSocket: moimd on the stack, two clients in a room.

#include "infra/http/client.hpp"
#include "tests/support/moimd_node.hpp"
#include "tests/support/stack_env.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::test;
using namespace std::chrono_literals;
using moim::infra::http_call_with_headers;
using nlohmann::json;

namespace {

/// The node of these tests: a low rate limit (10 frames/s).
struct node : moimd_node {
  node() : moimd_node({"--websocket.messages_per_second", "10"}) {
    // nop
  }
};

} // namespace

TEST_CASE("websocket: members chat in order, a reconnect recovers what it "
          "missed, outsiders and bad tokens are refused",
          "[e2e]") {
  node n;
  auto [a, ta] = n.user("ana");
  auto [b, tb] = n.user("bo");
  auto [c, tc] = n.user("cy");
  auto room = n.call("POST", "/v1/rooms", {{"name", "Chat"}}, 201, ta)["room"]
                .get<std::string>();
  n.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tb);

  CHECK(ws_client::connect(n.port, "/v1/ws?token=forged") == nullptr);
  // The refusal is an HTTP 401 before any upgrade.
  auto refused = http_call_with_headers(
    "GET", n.base + "/v1/ws?token=forged", "",
    {{"Connection", "Upgrade"},
     {"Upgrade", "websocket"},
     {"Sec-WebSocket-Version", "13"},
     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  REQUIRE(refused);
  CHECK(refused->status == 401);

  auto wa = ws_client::connect(n.port, "/v1/ws?token=" + ta);
  REQUIRE(wa);
  CHECK(next_frame(*wa, "authenticated")["user"] == a);
  // Without a token in the URL the first frame authenticates.
  auto wb = ws_client::connect(n.port, "/v1/ws");
  REQUIRE(wb);
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  CHECK(next_frame(*wb, "error")["code"] == "unauthenticated");
  wb->send(json{{"type", "auth"}, {"token", tb}}.dump());
  next_frame(*wb, "authenticated");

  wa->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  auto sub = next_frame(*wa, "subscribed");
  next_frame(*wb, "subscribed");
  CHECK(sub["seq"].get<int>() >= 3); // created, owner joined, b joined

  for (int i = 1; i <= 3; ++i)
    wa->send(json{{"type", "send"},
                  {"room", room},
                  {"text", "hello " + std::to_string(i)},
                  {"client_message_id", "a" + std::to_string(i)}}
               .dump());
  std::uint64_t last = 0;
  for (int i = 1; i <= 3; ++i) {
    auto ev = next_frame(*wb, "event");
    CHECK(ev["payload"]["text"] == "hello " + std::to_string(i));
    CHECK(ev["seq"].get<std::uint64_t>() > last);
    last = ev["seq"].get<std::uint64_t>();
  }
  for (int i = 1; i <= 3; ++i) {
    auto ack = next_frame(*wa, "ack");
    CHECK(ack["message"] == i);
  }

  // b goes away; two messages later it comes back with its last seq.
  wb.reset();
  for (int i = 4; i <= 5; ++i) {
    wa->send(json{{"type", "send"},
                  {"room", room},
                  {"text", "hello " + std::to_string(i)},
                  {"client_message_id", "a" + std::to_string(i)}}
               .dump());
    next_frame(*wa, "ack");
  }
  auto wb2 = ws_client::connect(n.port, "/v1/ws?token=" + tb);
  REQUIRE(wb2);
  wb2->send(
    json{{"type", "subscribe"}, {"room", room}, {"last_seq", last}}.dump());
  next_frame(*wb2, "subscribed");
  CHECK(next_frame(*wb2, "event")["payload"]["text"] == "hello 4");
  CHECK(next_frame(*wb2, "event")["payload"]["text"] == "hello 5");

  // Not a member: no subscription.
  auto wc = ws_client::connect(n.port, "/v1/ws?token=" + tc);
  REQUIRE(wc);
  wc->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  CHECK(next_frame(*wc, "error")["code"] == "not_member");
  wc->send("{not json");
  CHECK(next_frame(*wc, "error")["code"] == "bad_json");
  wc->send(json{{"type", "dance"}}.dump());
  CHECK(next_frame(*wc, "error")["code"] == "unknown_operation");

  // The rate limit (10/s here) answers with error frames, and the
  // connection stays.
  for (int i = 0; i < 40; ++i)
    wc->send(json{{"type", "typing"}, {"room", room}}.dump());
  bool limited = false;
  for (int i = 0; i < 40 && !limited; ++i) {
    auto frame = wc->receive(5s);
    REQUIRE(frame);
    limited = json::parse(*frame)["code"] == "rate_limited";
  }
  CHECK(limited);
}
