// End to end: moimd on the real stack, driven over HTTP like a client.

#include "infra/http/client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <thread>

using namespace moim::test;
using namespace std::chrono_literals;
using moim::infra::http_call;
using nlohmann::json;

namespace {

struct moimd_on_stack {
  moimd_on_stack()
    : port(free_port()), base("http://127.0.0.1:" + std::to_string(port)),
      data(unique_name("/tmp/moimd-e2e")),
      process({MOIMD_PATH, "--server.port", std::to_string(port),
               "--hosting.group", unique_name("moim-test-e2e"),
               "--kafka.transactional_id_prefix", unique_name("moim-test-e2e"),
               "--hosting.state_path", data + "/state", "--auth.jwt_secret",
               "e2e-secret", "--auth.access_ttl_s", "3",
               "--websocket.messages_per_second", "50"},
              {"MOIM_KAFKA_BROKERS=" + stack_env("MOIM_KAFKA_BROKERS")}) {
    // Serving once /readyz says so (the write side hosts its partitions).
    auto deadline = std::chrono::steady_clock::now() + 90s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = http_call("GET", base + "/readyz", {}, 5s);
      if (r && r->status == 200)
        return;
      REQUIRE_FALSE(process.wait(200ms));
    }
    FAIL("moimd did not serve in time: " << process.output());
  }

  ~moimd_on_stack() {
    process.signal(SIGTERM);
    (void)process.wait(30s);
  }

  json call(const std::string& method, const std::string& path,
            const json& body, int expected, const std::string& token = {}) {
    auto r = call_raw(method, path, body.is_null() ? "" : body.dump(), token);
    INFO(method << " " << path << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expected);
    return r.body.empty() ? json{} : json::parse(r.body);
  }

  moim::infra::http_reply call_raw(const std::string& method,
                                   const std::string& path,
                                   const std::string& body,
                                   const std::string& token = {}) {
    // http_call has no header parameter: the token rides in a query the
    // gateway does not read, so it is sent through a raw request instead.
    auto r = moim::infra::http_call_with_headers(
      method, base + path, body,
      token.empty() ? std::vector<std::pair<std::string, std::string>>{}
                    : std::vector<std::pair<std::string, std::string>>{
                      {"Authorization", "Bearer " + token}});
    REQUIRE(r);
    return *r;
  }

  std::string login(const std::string& user, const std::string& password) {
    auto doc = call("POST", "/v1/sessions",
                    {{"username", user}, {"password", password}}, 200);
    return doc["access_token"].get<std::string>();
  }

  int port;
  std::string base;
  std::string data;
  child_process process;
};

} // namespace

TEST_CASE("rest: sign up, log in, rooms, members only, messages in order",
          "[e2e]") {
  moimd_on_stack node;
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
                        {"starts_at", "2027-01-01T07:00"},
                        {"capacity", 1}},
                       201, ta)["schedule"]
                 .get<std::string>();
  CHECK(node.call("POST", "/v1/schedules/" + sched + "/seats", json{}, 200,
                  ta)["seated"]
        == true);
  CHECK(node.call("POST", "/v1/schedules/" + sched + "/seats", json{}, 200,
                  tb)["seated"]
        == false);
  node.call("GET", "/v1/rooms/" + room + "/messages", json{}, 503, ta);
}

TEST_CASE("rest: bad input and bad tokens get clear 4xx answers", "[e2e]") {
  moimd_on_stack node;
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
