// End to end over REST: what owners, authors, members and others may do.

#include "tests/support/moimd_node.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::test;
using nlohmann::json;

TEST_CASE("rest: profiles and friends", "[e2e]") {
  moimd_node n;
  auto [a, ta] = n.user("ann");
  auto [b, tb] = n.user("ben");

  n.call("PATCH", "/v1/users/me", {{"display_name", "Ann A."}}, 200, ta);
  auto profile = n.call("GET", "/v1/users/" + a, json{}, 200, tb);
  CHECK(profile["display_name"] == "Ann A.");
  CHECK_FALSE(profile.contains("password_hash"));
  CHECK_FALSE(profile.contains("friends"));
  n.call("GET", "/v1/users/u-nobody-" + a, json{}, 404, tb);
  n.call("PATCH", "/v1/users/me", {{"display_name", 7}}, 400, ta);

  n.call("PUT", "/v1/users/me/friends/" + b, json{}, 200, ta);
  n.call("PUT", "/v1/users/me/friends/u-nobody-" + a, json{}, 404, ta);
  CHECK(n.call("GET", "/v1/users/me/friends", json{}, 200, ta)["friends"]
        == json::array({b}));
  n.call("DELETE", "/v1/users/me/friends/" + b, json{}, 200, ta);
  CHECK(
    n.call("GET", "/v1/users/me/friends", json{}, 200, ta)["friends"].empty());
}

TEST_CASE("rest: only the owner updates, kicks, bans and closes, only the "
          "author edits, members only see a private room",
          "[e2e]") {
  moimd_node n;
  auto [owner, to] = n.user("own");
  auto [m, tm] = n.user("mem");
  auto [x, tx] = n.user("out");
  auto room = n.call("POST", "/v1/rooms",
                     {{"name", "Quiet"}, {"is_public", false}}, 201, to)["room"]
                .get<std::string>();
  auto path = "/v1/rooms/" + room;
  n.call("POST", path + "/join", json::object(), 200, tm);
  n.call("POST", path + "/join", json::object(), 200, tx);

  // Update: others are refused; absent fields are kept.
  CHECK(n.call("PATCH", path, {{"name", "Mine"}}, 403, tm)["error"]["code"]
        == "not_owner");
  n.call("PATCH", path, {{"member_limit", -1}}, 400, to);
  n.call("PATCH", path, {{"description", "shh"}}, 200, to);
  auto state = n.call("GET", path, json{}, 200, tm);
  CHECK(state["name"] == "Quiet");
  CHECK(state["description"] == "shh");
  CHECK(state["is_public"] == false);
  CHECK(n.call("GET", path + "/members", json{}, 200, tm)["members"].size()
        == 3);

  // Messages: the author edits; the author or the owner deletes.
  auto posted = n.call("POST", path + "/messages", {{"text", "hello"}}, 201,
                       tm)["message"]
                  .get<int>();
  auto msg = path + "/messages/" + std::to_string(posted);
  n.call("PATCH", msg, {{"text", "hijacked"}}, 403, to);
  n.call("PATCH", msg, {{"text", "hello!"}}, 200, tm);
  n.call("PATCH", path + "/messages/zero", {{"text", "x"}}, 400, tm);
  n.call("PATCH", path + "/messages/999", {{"text", "x"}}, 404, tm);
  n.call("DELETE", msg, json{}, 403, tx);
  n.call("DELETE", msg, json{}, 200, to);
  n.call("DELETE", msg, json{}, 404, to);

  // Kick and ban: owner only; a kicked member may come back, a banned one
  // may not; a private room is hidden from non-members.
  n.call("POST", path + "/kick", {{"user", owner}}, 403, tm);
  n.call("POST", path + "/kick", json::object(), 400, to);
  n.call("POST", path + "/kick", {{"user", x}, {"reason", "noise"}}, 200, to);
  CHECK(n.call("GET", path, json{}, 403, tx)["error"]["code"] == "not_member");
  n.call("GET", path + "/members", json{}, 403, tx);
  n.call("POST", path + "/join", json::object(), 200, tx);
  n.call("POST", path + "/ban", {{"user", x}}, 200, to);
  CHECK(n.call("POST", path + "/join", json::object(), 403, tx)["error"]["code"]
        == "banned");

  // Close: owner only; then nothing more is posted.
  n.call("POST", path + "/close", json::object(), 403, tm);
  n.call("POST", path + "/close", json::object(), 200, to);
  n.call("POST", path + "/messages", {{"text", "late"}}, 409, tm);
}

TEST_CASE("rest: schedules are for the room's members", "[e2e]") {
  moimd_node n;
  auto [owner, to] = n.user("host");
  auto [m, tm] = n.user("guest");
  auto [x, tx] = n.user("stranger");
  auto room = n.call("POST", "/v1/rooms", {{"name", "Club"}}, 201, to)["room"]
                .get<std::string>();
  n.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tm);
  n.call("POST", "/v1/rooms/" + room + "/schedules",
         {{"title", "Walk"}, {"starts_at", "2027-03-01T10:00:00+09:00"}}, 403,
         tx);
  auto id = n.call("POST", "/v1/rooms/" + room + "/schedules",
                   {{"title", "Walk"},
                    {"starts_at", "2027-03-01T10:00:00+09:00"},
                    {"capacity", 2}},
                   201, to)["schedule"]
              .get<std::string>();
  auto path = "/v1/schedules/" + id;
  CHECK(n.call("POST", path + "/seats", json{}, 403, tx)["error"]["code"]
        == "not_member");
  n.call("GET", path, json{}, 403, tx);
  CHECK(n.call("POST", path + "/seats", json{}, 200, tm)["seated"] == true);
  auto seen = n.call("GET", path, json{}, 200, tm);
  CHECK(seen["seated"] == json::array({m}));
  CHECK(seen["capacity"] == 2);
  n.call("POST", path + "/close", json::object(), 403, tm);
  n.call("POST", path + "/close", json::object(), 200, to);
  n.call("POST", path + "/seats", json{}, 409, to);
  n.call("GET", "/v1/schedules/s-none", json{}, 404, tm);
}
