// The read side through REST: room history (Postgres), my rooms (Redis)
// and search (OpenSearch), each from the read model moimd's projections
// build from the log, and read-your-writes with after_position.

#include "tests/support/moimd_node.hpp"
#include "tests/support/stack_env.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <thread>

using namespace moim::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("rest: room history pages newest first, before and after a "
          "sequence, members only, and my rooms, from the read models",
          "[e2e]") {
  moimd_node node{{"--postgres.url", stack_env("MOIM_POSTGRES_URL"),
                   "--redis.url", stack_env("MOIM_REDIS_URL"),
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

  // The delete's position, passed back: the history waits until the
  // projection has applied it (and so everything before it).
  auto deleted = node.call("DELETE", messages + "/7", json{}, 200, ta);
  REQUIRE(deleted["position"].is_string());
  auto position = deleted["position"].get<std::string>();
  auto newest
    = node.query(messages + "?limit=50&after_position=" + position, ta);
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

  // Counts over time: this room's 120 posts, all within the last minutes.
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  auto stats = node.query("/v1/rooms/" + room + "/stats?step=hour&from_ms="
                            + std::to_string(now_ms - 86400000)
                            + "&to_ms=" + std::to_string(now_ms + 60000),
                          ta);
  std::int64_t counted = 0;
  for (const auto& point : stats["messages"])
    counted += point["count"].get<std::int64_t>();
  CHECK(counted == posted);
  auto hourly = node.query("/v1/rooms/" + room + "/stats", ta);
  counted = 0;
  for (const auto& point : hourly["messages"])
    counted += point["count"].get<std::int64_t>();
  CHECK(counted == posted);
  node.call("GET", "/v1/rooms/" + room + "/stats", json{}, 403, tb);
  node.call("GET", "/v1/rooms/" + room + "/stats?step=week", json{}, 400, ta);
  node.call("GET", "/v1/rooms/" + room + "/stats?from_ms=5&to_ms=4", json{},
            400, ta);
  auto signups = node.query("/v1/stats/new-users?days=2", ta);
  std::int64_t users = 0;
  for (const auto& day : signups["days"])
    users += day["count"].get<std::int64_t>();
  CHECK(users >= 2); // hana and jun at least
  node.call("GET", messages + "?after_position=nonsense", json{}, 400, ta);
  node.call("GET", messages + "?after_position=moim.rooms:x:1", json{}, 400,
            ta);

  // My rooms (Redis): the room I made, with its member count, at once
  // when I pass back where my last write went.
  auto mine = node.query("/v1/users/me/rooms?after_position=" + position, ta);
  REQUIRE(mine["rooms"].size() == 1);
  CHECK(mine["rooms"][0]["room"] == room);
  CHECK(mine["rooms"][0]["name"] == "Hikers");
  CHECK(mine["rooms"][0]["member_count"] == 1);
  CHECK(mine["rooms"][0]["last_message"] == posted);
  CHECK(
    node.call("GET", "/v1/users/me/rooms", json{}, 200, tb)["rooms"].empty());
}

TEST_CASE("websocket: a reconnect further back than the recent events is "
          "caught up from the Postgres history, the frames as they were live",
          "[e2e]") {
  // Four events kept per room; at most 30 caught up from the history.
  moimd_node node{{"--postgres.url", stack_env("MOIM_POSTGRES_URL"),
                   "--websocket.recent_per_room", "4",
                   "--websocket.history_most", "30",
                   "--websocket.messages_per_second", "200"}};
  auto [a, ta] = node.user("rin");
  auto [b, tb] = node.user("seo");
  auto room
    = node.call("POST", "/v1/rooms", {{"name", "Long talk"}}, 201, ta)["room"]
        .get<std::string>();
  node.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tb);
  auto wa = ws_client::connect(node.port, "/v1/ws?token=" + ta);
  auto wb = ws_client::connect(node.port, "/v1/ws?token=" + tb);
  REQUIRE(wa);
  REQUIRE(wb);
  wa->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  next_frame(*wa, "subscribed");
  auto left_at = next_frame(*wb, "subscribed")["seq"].get<std::uint64_t>();
  wb.reset();

  // 20 events while b is away (posts, an edit, a member leaving and
  // coming back): far more than the four kept. a sees them live.
  const auto messages = "/v1/rooms/" + room + "/messages";
  for (int i = 1; i <= 17; ++i)
    node.call("POST", messages, {{"text", "away " + std::to_string(i)}}, 201,
              ta);
  node.call("PATCH", messages + "/3", {{"text", "away 3, edited"}}, 200, ta);
  auto [c, tc] = node.user("tae");
  node.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tc);
  auto left = node.call("POST", "/v1/rooms/" + room + "/leave", json::object(),
                        200, tc);
  // Postgres has all of it (the history is what is tested here, not how
  // long a loaded machine takes to project).
  node.query(
    messages + "?after_position=" + left["position"].get<std::string>(), ta);
  std::map<std::uint64_t, std::string> live;
  while (live.size() < 20) {
    auto frame = wa->receive(10s);
    REQUIRE(frame);
    auto doc = json::parse(*frame);
    if (doc["type"] == "event")
      live[doc["seq"].get<std::uint64_t>()] = *frame;
  }
  REQUIRE(live.begin()->first == left_at + 1);
  REQUIRE(live.rbegin()->first == left_at + 20);

  // b comes back: every event after its last seq, in order, byte for byte
  // as a got them, then the room goes on live.
  auto wb2 = ws_client::connect(node.port, "/v1/ws?token=" + tb);
  REQUIRE(wb2);
  wb2->send(
    json{{"type", "subscribe"}, {"room", room}, {"last_seq", left_at}}.dump());
  auto subscribed = next_frame(*wb2, "subscribed");
  CHECK(subscribed["seq"] == left_at + 20);
  for (const auto& [seq, frame] : live) {
    auto got = wb2->receive(10s);
    REQUIRE(got);
    CHECK(json::parse(*got)["seq"] == seq);
    CHECK(*got == frame);
  }
  node.call("POST", messages, {{"text", "back"}}, 201, ta);
  auto next = next_frame(*wb2, "event");
  CHECK(next["seq"] == left_at + 21);
  CHECK(next["payload"]["text"] == "back");

  // Further behind than 30 events: told so (it pages the REST history).
  auto wb3 = ws_client::connect(node.port, "/v1/ws?token=" + tb);
  REQUIRE(wb3);
  for (int i = 0; i < 15; ++i)
    node.call("POST", messages, {{"text", "more"}}, 201, ta);
  wb3->send(
    json{{"type", "subscribe"}, {"room", room}, {"last_seq", left_at}}.dump());
  next_frame(*wb3, "subscribed");
  CHECK(next_frame(*wb3, "recovery_impossible")["room"] == room);
}

TEST_CASE("rest: who is online in a room, from Redis, as WebSocket "
          "subscriptions start and end",
          "[e2e]") {
  moimd_node node{{"--redis.url", stack_env("MOIM_REDIS_URL"),
                   "--projections.redis_prefix", unique_name("online") + ":"}};
  // Not structured bindings: a lambda below captures them.
  const auto uma = node.user("uma");
  const auto& a = uma.first;
  const auto& ta = uma.second;
  auto [b, tb] = node.user("vic");
  auto [c, tc] = node.user("wes");
  auto room
    = node
        .call("POST", "/v1/rooms", {{"name", "Quiet"}, {"is_public", false}},
              201, ta)["room"]
        .get<std::string>();
  node.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, tb);
  const auto path = "/v1/rooms/" + room + "/presence";
  // Until it shows `want` (the gateway writes it within a quarter second).
  auto online = [&](const json& want) {
    json got;
    for (int i = 0; i < 100; ++i) {
      got = node.call("GET", path, json{}, 200, ta)["online"];
      if (got == want)
        break;
      std::this_thread::sleep_for(50ms);
    }
    return got;
  };
  CHECK(online(json::array()) == json::array());
  auto wa = ws_client::connect(node.port, "/v1/ws?token=" + ta);
  auto wb = ws_client::connect(node.port, "/v1/ws?token=" + tb);
  REQUIRE(wa);
  REQUIRE(wb);
  wa->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  wb->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  next_frame(*wa, "subscribed");
  next_frame(*wb, "subscribed");
  auto both = json::array({a, b});
  std::sort(both.begin(), both.end());
  CHECK(online(both) == both);
  wb.reset(); // vic's connection ends
  CHECK(online(json::array({a})) == json::array({a}));
  // A private room's presence is for its members.
  CHECK(node.call("GET", path, json{}, 403, tc)["error"]["code"]
        == "not_member");
  node.call("GET", "/v1/rooms/no-such-room/presence", json{}, 404, ta);
}

TEST_CASE("rest: room and message search, fuzzy, with synonyms and tags, "
          "public rooms only, members only for a private room's messages",
          "[e2e]") {
  moimd_node node{{"--search.url", stack_env("MOIM_SEARCH_URL"), "--redis.url",
                   stack_env("MOIM_REDIS_URL")}};
  auto [a, ta] = node.user("mina");
  auto [b, tb] = node.user("joon");
  // A word of its own (random letters), so that no other room matches.
  std::mt19937 rng{std::random_device{}()};
  std::string word = "q";
  for (int i = 0; i < 11; ++i)
    word += static_cast<char>('a' + rng() % 26);
  auto open = node.call("POST", "/v1/rooms",
                        {{"name", "Weekend " + word + " meetup"},
                         {"tags", {"outdoors", word}},
                         {"is_public", true}},
                        201, ta);
  auto hidden
    = node.call("POST", "/v1/rooms",
                {{"name", "Secret " + word}, {"is_public", false}}, 201, ta);
  auto room = open["room"].get<std::string>();
  auto secret = hidden["room"].get<std::string>();
  node.call("POST", "/v1/rooms/" + secret + "/messages",
            {{"text", "the " + word + " starts at the north gate"}}, 201, ta);
  auto posted = node.call("POST", "/v1/rooms/" + room + "/messages",
                          {{"text", "bring water for the " + word}}, 201, ta);
  auto at = posted["position"].get<std::string>();

  // Fuzzy: one letter wrong; the private room never shows.
  auto typo = word.substr(0, word.size() - 1) + "x";
  auto found = node.query(
    "/v1/search/rooms?q=" + typo + "&after_position=" + at, tb)["rooms"];
  REQUIRE(found.size() == 1);
  CHECK(found[0]["room"] == room);
  node.call("GET", "/v1/search/rooms?q=" + typo, json{}, 200, tb);
  // The synonym file maps meetup to gathering, indexed with the room.
  auto synonym = node.call("GET", "/v1/search/rooms?q=gathering%20" + word,
                           json{}, 200, tb)["rooms"];
  REQUIRE_FALSE(synonym.empty());
  CHECK(synonym[0]["room"] == room);
  auto tagged = node.call("GET", "/v1/search/rooms?tags=outdoors," + word,
                          json{}, 200, tb)["rooms"];
  REQUIRE(tagged.size() == 1);
  CHECK(tagged[0]["room"] == room);

  auto hits = node.call("GET", "/v1/rooms/" + room + "/messages/search?q=water",
                        json{}, 200, tb)["messages"];
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["seq"] == 1);
  // A private room's messages are for its members.
  node.call("GET", "/v1/rooms/" + secret + "/messages/search?q=gate", json{},
            403, tb);
  auto mine
    = node.call("GET", "/v1/rooms/" + secret + "/messages/search?q=gate",
                json{}, 200, ta)["messages"];
  CHECK(mine.size() == 1);
  // Each search is recorded (an event of the searcher) and counted in
  // Redis: trending terms of the last hour, my recent searches.
  json recent;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    recent = node.call("GET", "/v1/users/me/searches", json{}, 200, tb);
    if (recent["searches"].size() >= 3 && recent["searches"][0] == "water")
      break;
    std::this_thread::sleep_for(200ms);
  }
  REQUIRE(recent["searches"].size() == 3); // the repeated one once
  CHECK(recent["searches"][0] == "water");
  CHECK(recent["searches"][1] == "gathering " + word);
  CHECK(recent["searches"][2] == typo);
  auto trending
    = node.call("GET", "/v1/search/trending?limit=50", json{}, 200, ta);
  bool counted = false;
  for (const auto& t : trending["terms"])
    counted = counted || (t["term"] == typo && t["searches"] == 2);
  INFO(trending.dump());
  CHECK(counted);
  // Bad input is a 400.
  node.call("GET", "/v1/search/rooms", json{}, 400, ta);
  node.call("GET", "/v1/search/rooms?q=x&limit=0", json{}, 400, ta);
  node.call("GET", "/v1/rooms/" + room + "/messages/search", json{}, 400, ta);
}
