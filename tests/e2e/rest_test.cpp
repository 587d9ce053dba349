// End to end: moimd on the real stack, driven over HTTP like a client.

#include "tests/support/moimd_node.hpp"
#include "tests/support/stack_env.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace moim::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// A node whose access tokens live 3 s, for the test of their expiry only:
/// a whole test run under so short a life fails on a slow machine.
struct short_token_node : moimd_node {
  short_token_node() : moimd_node({"--auth.access_ttl_s", "3"}) {
    // nop
  }
};

} // namespace

TEST_CASE("rest: sign up, log in, rooms, members only, messages in order",
          "[e2e]") {
  moimd_node node;
  auto a = unique_name("ana");
  auto b = unique_name("bo");
  auto signup = node.call(
    "POST", "/v1/users",
    {{"username", a}, {"password", "correct horse"}, {"display_name", "Ana"}},
    201);
  CHECK(signup.dump().find("argon2") == std::string::npos); // no hash leaks
  node.call(
    "POST", "/v1/users",
    {{"username", b}, {"password", "battery staple"}, {"display_name", "Bo"}},
    201);
  node.call(
    "POST", "/v1/users",
    {{"username", a}, {"password", "x-whatever"}, {"display_name", "A"}}, 409);
  node.call("POST", "/v1/sessions",
            {{"username", a}, {"password", "wrong one"}}, 401);
  auto ta = node.login(a, "correct horse");
  auto tb = node.login(b, "battery staple");

  auto room
    = node
        .call("POST", "/v1/rooms", {{"name", "Runners"}, {"member_limit", 10}},
              201, ta)["room"]
        .get<std::string>();
  // Not a member yet: posting is refused.
  auto refused = node.call("POST", "/v1/rooms/" + room + "/messages",
                           {{"text", "hi"}}, 403, tb);
  CHECK(refused["error"]["code"] == "not_member");
  node.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tb);
  for (int i = 1; i <= 3; ++i) {
    auto posted = node.call("POST", "/v1/rooms/" + room + "/messages",
                            {{"text", "m" + std::to_string(i)},
                             {"client_message_id", "c" + std::to_string(i)}},
                            201, i % 2 ? ta : tb);
    CHECK(posted["message"] == i);
  }
  // A re-sent message (same client id) is not posted twice.
  auto again
    = node.call("POST", "/v1/rooms/" + room + "/messages",
                {{"text", "m3"}, {"client_message_id", "c3"}}, 201, ta);
  CHECK(again["duplicate"] == true);
  auto state = node.call("GET", "/v1/rooms/" + room, json{}, 200, tb);
  CHECK(state["last_message"] == 3);
  CHECK(state["members"].size() == 2);

  // Schedules: members only, seats up to capacity.
  auto sched = node
                 .call("POST", "/v1/rooms/" + room + "/schedules",
                       {{"title", "Run"},
                        {"starts_at", "2027-01-01T07:00:00Z"},
                        {"capacity", 1}},
                       201, ta)["schedule"]
                 .get<std::string>();
  CHECK(node.call("POST", "/v1/schedules/" + sched + "/seats", json{}, 200,
                  ta)["seated"]
        == true);
  CHECK(node.call("POST", "/v1/schedules/" + sched + "/seats", json{}, 200,
                  tb)["seated"]
        == false);
}

TEST_CASE("rest: bad input and bad tokens get clear 4xx answers", "[e2e]") {
  short_token_node node;
  auto user = unique_name("cy");
  node.call(
    "POST", "/v1/users",
    {{"username", user}, {"password", "long enough"}, {"display_name", "Cy"}},
    201);
  auto token = node.login(user, "long enough");
  CHECK(node.call_raw("POST", "/v1/rooms", "not json", token).status == 400);
  CHECK(
    node.call("POST", "/v1/rooms", {{"name", 5}}, 400, token)["error"]["code"]
    == "wrong_type");
  CHECK(node.call("POST", "/v1/rooms", {{"name", "x"}}, 401)["error"]["code"]
        == "unauthenticated");
  node.call("POST", "/v1/rooms", {{"name", "x"}}, 401, token + "x");
  node.call("POST", "/v1/users", {{"username", "ab"}, {"password", "short"}},
            400);
  // Access tokens expire (3 s here); a refresh gives a new pair, once.
  auto pair = node.call("POST", "/v1/sessions",
                        {{"username", user}, {"password", "long enough"}}, 200);
  std::this_thread::sleep_for(3500ms);
  auto expired = node.call("GET", "/v1/users/me", json{}, 401,
                           pair["access_token"].get<std::string>());
  CHECK_THAT(expired["error"]["message"].get<std::string>(),
             Catch::Contains("expired"));
  auto refreshed = node.call("POST", "/v1/sessions/refresh",
                             {{"refresh_token", pair["refresh_token"]}}, 200);
  node.call("POST", "/v1/sessions/refresh",
            {{"refresh_token", pair["refresh_token"]}}, 401); // rotated
  auto me = node.call("GET", "/v1/users/me", json{}, 200,
                      refreshed["access_token"].get<std::string>());
  CHECK(me["username"] == user);
  CHECK_FALSE(me.contains("password_hash"));
}

TEST_CASE("rest: times must be RFC 3339, texts hold no NUL, one client "
          "message id limit on REST and WebSocket",
          "[e2e]") {
  moimd_node node;
  auto [a, ta] = node.user("vera");
  // NUL in a name is refused, with the reason, and nothing is made.
  auto nul = node.call("POST", "/v1/rooms",
                       {{"name", std::string("bad\0name", 8)}}, 400, ta);
  CHECK_THAT(nul["error"]["message"].get<std::string>(),
             Catch::Contains("control characters"));
  auto room
    = node.call("POST", "/v1/rooms", {{"name", "Valid"}}, 201, ta)["room"]
        .get<std::string>();
  auto schedules = "/v1/rooms/" + room + "/schedules";
  auto vague = node.call(
    "POST", schedules,
    {{"title", "Run"}, {"starts_at", "yesterday-ish"}, {"capacity", 3}}, 400,
    ta);
  CHECK_THAT(vague["error"]["message"].get<std::string>(),
             Catch::Contains("RFC 3339"));
  node.call(
    "POST", schedules,
    {{"title", "Run"}, {"starts_at", "2027-02-30T07:00:00Z"}, {"capacity", 3}},
    400, ta);
  node.call("POST", schedules,
            {{"title", "Run"},
             {"starts_at", "2027-02-28T07:00:00+09:00"},
             {"capacity", 3}},
            201, ta);

  auto messages = "/v1/rooms/" + room + "/messages";
  node.call("POST", messages, {{"text", std::string("a\0b", 3)}}, 400, ta);
  auto long_id = node.call(
    "POST", messages,
    {{"text", "hello"}, {"client_message_id", std::string(10000, 'c')}}, 400,
    ta);
  CHECK_THAT(long_id["error"]["message"].get<std::string>(),
             Catch::Contains("client_message_id"));
  node.call("POST", messages,
            {{"text", "hello"}, {"client_message_id", std::string(200, 'c')}},
            201, ta);
  // None of the refused messages was posted.
  CHECK(node.call("GET", "/v1/rooms/" + room, json{}, 200, ta)["last_message"]
        == 1);

  // The same limit on the WebSocket, answered as an error frame.
  auto w = ws_client::connect(node.port, "/v1/ws?token=" + ta);
  REQUIRE(w);
  w->send(json{{"type", "send"},
               {"room", room},
               {"text", "hi"},
               {"client_message_id", std::string(201, 'c')}}
            .dump());
  auto refused = next_frame(*w, "error");
  CHECK(refused["code"] == "invalid");
  CHECK_THAT(refused["message"].get<std::string>(),
             Catch::Contains("client_message_id"));
  w->send(json{{"type", "send"},
               {"room", room},
               {"text", "hi"},
               {"client_message_id", std::string(200, 'c') + "x"}}
            .dump());
  CHECK(next_frame(*w, "error")["code"] == "invalid");
}
