// Room history and my rooms through REST, from the Postgres read model
// that moimd's projection builds from the log.

#include "tests/support/moimd_node.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace moim::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("rest: room history pages newest first, before and after a "
          "sequence, members only, and my rooms, from Postgres",
          "[e2e]") {
  moimd_node node{{"--postgres.url", stack_env("MOIM_POSTGRES_URL"),
                   "--websocket.messages_per_second", "200"}};
  auto a = unique_name("hana");
  auto b = unique_name("jun");
  for (const auto& who : {a, b})
    node.call(
      "POST", "/v1/users",
      {{"username", who}, {"password", "long enough"}, {"display_name", who}},
      201);
  auto ta = node.login(a, "long enough");
  auto tb = node.login(b, "long enough");
  auto room
    = node
        .call("POST", "/v1/rooms", {{"name", "Hikers"}, {"is_public", false}},
              201, ta)["room"]
        .get<std::string>();
  const auto messages = "/v1/rooms/" + room + "/messages";
  constexpr int posted = 120;
  for (int i = 1; i <= posted; ++i)
    node.call("POST", messages, {{"text", "m" + std::to_string(i)}}, 201, ta);
  node.call("DELETE", messages + "/7", json{}, 200, ta);

  // The projection applies what the log took; wait until all is visible.
  json newest;
  auto deadline = std::chrono::steady_clock::now() + 90s;
  while (std::chrono::steady_clock::now() < deadline) {
    newest = node.call("GET", messages + "?limit=50", json{}, 200, ta);
    if (!newest["messages"].empty() && newest["messages"][0]["seq"] == posted)
      break;
    std::this_thread::sleep_for(200ms);
  }
  REQUIRE(newest["messages"].size() == 50);
  CHECK(newest["messages"][0]["seq"] == posted); // newest first
  CHECK(newest["messages"][0]["text"] == "m120");
  CHECK(newest["messages"][0]["author"].is_string());
  CHECK(newest["messages"][49]["seq"] == posted - 49);

  auto before = node.call("GET", messages + "?before=71&limit=50", json{}, 200,
                          ta)["messages"];
  REQUIRE(before.size() == 50);
  CHECK(before[0]["seq"] == 70);
  CHECK(before[49]["seq"] == 21);
  auto oldest
    = node.call("GET", messages + "?before=21", json{}, 200, ta)["messages"];
  REQUIRE(oldest.size() == 20); // the last page is short
  CHECK(oldest[19]["seq"] == 1);
  CHECK(oldest[13]["seq"] == 7);
  CHECK(oldest[13]["deleted"] == true);
  CHECK(oldest[13]["text"] == ""); // a deleted text is gone from the model

  auto after
    = node.call("GET", messages + "?after=100", json{}, 200, ta)["messages"];
  REQUIRE(after.size() == 20);
  CHECK(after[0]["seq"] == 101); // oldest first, for catching up
  CHECK(after[19]["seq"] == posted);

  // A private room's history is for members; bad paging is a 400.
  CHECK(node.call("GET", messages, json{}, 403, tb)["error"]["code"]
        == "not_member");
  node.call("GET", messages + "?limit=0", json{}, 400, ta);
  node.call("GET", messages + "?limit=201", json{}, 400, ta);
  node.call("GET", messages + "?before=x", json{}, 400, ta);
  node.call("GET", messages + "?before=5&after=1", json{}, 400, ta);
  node.call("GET", "/v1/rooms/no-such-room/messages", json{}, 404, ta);

  // My rooms: the room I made, with its member count.
  json mine;
  deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    mine = node.call("GET", "/v1/users/me/rooms", json{}, 200, ta);
    if (!mine["rooms"].empty())
      break;
    std::this_thread::sleep_for(200ms);
  }
  REQUIRE(mine["rooms"].size() == 1);
  CHECK(mine["rooms"][0]["room"] == room);
  CHECK(mine["rooms"][0]["member_count"] == 1);
  CHECK(mine["rooms"][0]["last_message"] == posted);
  CHECK(
    node.call("GET", "/v1/users/me/rooms", json{}, 200, tb)["rooms"].empty());
}
