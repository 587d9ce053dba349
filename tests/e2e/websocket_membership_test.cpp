// End to end: membership ends live subscriptions; what a subscription or a
// resumption is refused with.

#include "tests/support/moimd_node.hpp"
#include "tests/support/sse_client.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// The frames up to the first of `type` (which is returned last). A timed
/// out read ends ws_client, so "nothing arrives" is shown by what comes
/// before an answer the client asked for after the fact.
std::vector<json> frames_until(ws_client& w, const std::string& type) {
  std::vector<json> seen;
  for (int i = 0; i < 200; ++i) {
    auto frame = w.receive(10s);
    REQUIRE(frame);
    seen.push_back(json::parse(*frame));
    if (seen.back()["type"] == type)
      return seen;
  }
  FAIL("no '" << type << "' frame");
  return seen;
}

bool holds_message(const std::vector<json>& frames, const std::string& text) {
  for (const auto& f : frames)
    if (f["type"] == "event" && f["payload"].contains("text")
        && f["payload"]["text"] == text)
      return true;
  return false;
}

void post(moimd_node& n, const std::string& room, const std::string& text,
          const std::string& token) {
  n.call("POST", "/v1/rooms/" + room + "/messages", {{"text", text}}, 201,
         token);
}

} // namespace

TEST_CASE("websocket: a kicked or banned member's live subscription ends at "
          "once and gets no more of the room",
          "[e2e]") {
  moimd_node n;
  auto [a, ta] = n.user("owner");
  auto [b, tb] = n.user("guest");
  auto room = n.call("POST", "/v1/rooms", {{"name", "Gate"}}, 201, ta)["room"]
                .get<std::string>();
  const auto path = "/v1/rooms/" + room;
  n.call("POST", path + "/join", json::object(), 200, tb);

  auto wa = ws_client::connect(n.port, "/v1/ws?token=" + ta);
  auto wb = ws_client::connect(n.port, "/v1/ws?token=" + tb);
  REQUIRE((wa && wb));
  for (auto* w : {wa.get(), wb.get()}) {
    w->send(json{{"type", "subscribe"}, {"room", room}}.dump());
    next_frame(*w, "subscribed");
  }
  post(n, room, "before the kick", ta);
  CHECK(next_frame(*wb, "event")["payload"]["text"] == "before the kick");

  n.call("POST", path + "/kick", {{"user", b}}, 200, ta);
  auto ended = next_frame(*wb, "unsubscribed");
  CHECK(ended["room"] == room);
  CHECK(ended["reason"] == "kicked");
  post(n, room, "after the kick", ta);
  // The owner still sees it; the kicked member does not.
  bool owner_saw = false;
  for (int i = 0; i < 10 && !owner_saw; ++i) {
    auto ev = next_frame(*wa, "event");
    owner_saw = ev["payload"].contains("text")
                && ev["payload"]["text"] == "after the kick";
  }
  CHECK(owner_saw);
  // Anything the room sent b after the kick would come before the answer
  // to this re-subscription, which is refused while b is not a member.
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  auto after_kick = frames_until(*wb, "error");
  CHECK(after_kick.back()["code"] == "not_member");
  CHECK_FALSE(holds_message(after_kick, "after the kick"));

  // A kicked member may come back; a ban ends the subscription again.
  n.call("POST", path + "/join", json::object(), 200, tb);
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  next_frame(*wb, "subscribed");
  n.call("POST", path + "/ban", {{"user", b}}, 200, ta);
  CHECK(next_frame(*wb, "unsubscribed")["reason"] == "banned");
  post(n, room, "after the ban", ta);
  bool owner_saw_ban = false;
  for (int i = 0; i < 10 && !owner_saw_ban; ++i) {
    auto ev = next_frame(*wa, "event");
    owner_saw_ban = ev["payload"].contains("text")
                    && ev["payload"]["text"] == "after the ban";
  }
  CHECK(owner_saw_ban);
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  auto after_ban = frames_until(*wb, "error");
  CHECK(after_ban.back()["code"] == "banned");
  CHECK_FALSE(holds_message(after_ban, "after the ban"));
}

TEST_CASE("websocket and sse: a missing room is not_found, a garbage "
          "Last-Event-ID gets a reset",
          "[e2e]") {
  moimd_node n;
  auto [a, ta] = n.user("asker");
  auto w = ws_client::connect(n.port, "/v1/ws?token=" + ta);
  REQUIRE(w);
  w->send(json{{"type", "subscribe"}, {"room", "no-such-room"}}.dump());
  auto missing = next_frame(*w, "error");
  CHECK(missing["code"] == "not_found");
  w->send(
    json{{"type", "send"}, {"room", "no-such-room"}, {"text", "hi"}}.dump());
  CHECK(next_frame(*w, "error")["code"] == "not_found");

  for (const char* garbage : {"yesterday", "999999999999999999999999-1", "-"}) {
    INFO(garbage);
    auto s = sse_client::connect(
      n.port, "/v1/notifications/stream",
      {{"Authorization", "Bearer " + ta}, {"Last-Event-ID", garbage}});
    REQUIRE(s);
    auto ready = s->next(5s);
    REQUIRE(ready);
    CHECK(ready->type == "ready");
    auto reset = s->next(5s);
    REQUIRE(reset);
    CHECK(reset->type == "reset");
  }
}
