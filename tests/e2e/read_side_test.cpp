// The read side under the seed system's failures: many rooms created at
// once must all reach every read model, and each store may go away for a
// while under load without anything being lost.

#include "infra/http/client.hpp"
#include "infra/redis/redis_client.hpp"
#include "tests/support/moimd_node.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

using namespace moim;
using namespace moim::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> store_flags() {
  return {"--postgres.url", stack_env("MOIM_POSTGRES_URL"),
          "--redis.url",    stack_env("MOIM_REDIS_URL"),
          "--search.url",   stack_env("MOIM_SEARCH_URL")};
}

/// How many of `rooms` each read model holds.
struct presence {
  std::size_t postgres = 0;
  std::size_t search = 0;
  std::size_t redis = 0;
};

/// A request from a thread of the test's own (no Catch assertion there:
/// Catch is not thread-safe); nothing when it failed.
std::optional<infra::http_reply>
request(const moimd_node& node, const std::string& method,
        const std::string& path, const json& body, const std::string& token) {
  auto r = infra::http_call_with_headers(method, node.base + path, body.dump(),
                                         {{"Authorization", "Bearer " + token}},
                                         10s);
  if (!r)
    return std::nullopt;
  return *r;
}

presence rooms_present(const std::vector<std::string>& rooms) {
  presence p;
  try {
    pqxx::connection conn{stack_env("MOIM_POSTGRES_URL")};
    pqxx::read_transaction tx{conn};
    std::string list;
    for (const auto& r : rooms)
      list += (list.empty() ? "" : ",") + tx.quote(r);
    p.postgres
      = tx.exec1("SELECT count(*) FROM rooms WHERE id IN (" + list + ")")[0]
          .as<std::size_t>();
  } catch (const std::exception&) {
  }
  json ids = {{"size", 0},
              {"query", {{"ids", {{"values", rooms}}}}},
              {"track_total_hits", true}};
  auto found = infra::http_call(
    "POST", stack_env("MOIM_SEARCH_URL") + "/moim-rooms/_search", ids.dump(),
    10s);
  if (found && found->status == 200)
    p.search = json::parse(found->body)["hits"]["total"]["value"];
  infra::redis_client redis{stack_env("MOIM_REDIS_URL"), 5s};
  std::vector<std::vector<std::string>> exists;
  for (const auto& r : rooms)
    exists.push_back({"EXISTS", "moim:room:" + r});
  if (auto replies = redis.pipeline(exists))
    for (const auto& v : *replies)
      p.redis += v.integer == 1 ? 1 : 0;
  return p;
}

} // namespace

TEST_CASE("read side: a thousand rooms created concurrently all appear in "
          "Postgres, in search and in Redis",
          "[e2e]") {
  moimd_node node{store_flags()};
  const auto token = node.user("founder").second; // captured below
  std::mutex mtx;
  std::vector<std::string> rooms;
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&, c] {
      for (int i = 0; i < 125; ++i) {
        auto r = request(node, "POST", "/v1/rooms",
                         {{"name", "Seed room " + std::to_string(c * 125 + i)},
                          {"tags", {"seed"}},
                          {"is_public", true}},
                         token);
        if (r && r->status == 201) {
          std::lock_guard<std::mutex> guard{mtx};
          rooms.push_back(json::parse(r->body)["room"].get<std::string>());
        }
      }
    });
  for (auto& t : clients)
    t.join();
  REQUIRE(rooms.size() == 1000);
  presence p;
  auto deadline = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < deadline) {
    p = rooms_present(rooms);
    if (p.postgres == 1000 && p.search == 1000 && p.redis == 1000)
      break;
    std::this_thread::sleep_for(500ms);
  }
  CHECK(p.postgres == 1000);
  CHECK(p.search == 1000);
  CHECK(p.redis == 1000);
  // My rooms lists all of them (the owner joins each room it makes).
  auto mine = node.call("GET", "/v1/users/me/rooms", json{}, 200, token);
  CHECK(mine["rooms"].size() == 500); // the query's page limit
}

TEST_CASE("read side: Postgres then OpenSearch then Redis stopped for 30 s "
          "each under load: nothing is lost and the lag drains afterwards",
          "[outage]") {
  const std::string stack = std::string{MOIM_SOURCE_DIR} + "/infra/stack/stack";
  moimd_node node{store_flags()};
  const auto token = node.user("poster").second; // captured below
  auto room
    = node.call("POST", "/v1/rooms", {{"name", "Outage"}}, 201, token)["room"]
        .get<std::string>();
  std::atomic<bool> posting{true};
  std::atomic<std::uint64_t> acked{0};
  std::thread poster{[&] {
    int i = 0;
    while (posting) {
      auto r = request(node, "POST", "/v1/rooms/" + room + "/messages",
                       {{"text", "m" + std::to_string(++i)}}, token);
      if (r && r->status == 201) // the message's number in the room
        acked = json::parse(r->body)["message"].get<std::uint64_t>();
      std::this_thread::sleep_for(20ms);
    }
  }};
  for (const auto* service : {"postgres", "search", "redis"}) {
    INFO("service: " << service);
    REQUIRE(std::system((stack + " down " + service).c_str()) == 0);
    std::this_thread::sleep_for(30s);
    REQUIRE(std::system((stack + " up " + service).c_str()) == 0);
  }
  posting = false;
  poster.join();
  auto last = acked.load();
  REQUIRE(last > 1000); // the load went on through all three outages

  // Every acknowledged message reaches every read model.
  auto history_newest = [&] {
    auto r = node.call_raw("GET", "/v1/rooms/" + room + "/messages?limit=1", {},
                           token);
    if (r.status != 200)
      return std::uint64_t{0};
    auto m = json::parse(r.body)["messages"];
    return m.empty() ? std::uint64_t{0} : m[0]["seq"].get<std::uint64_t>();
  };
  auto search_count = [&] {
    auto r = infra::http_call("GET",
                              stack_env("MOIM_SEARCH_URL")
                                + "/moim-messages/_count?q=room:" + room,
                              {}, 10s);
    return r && r->status == 200
             ? json::parse(r->body)["count"].get<std::uint64_t>()
             : std::uint64_t{0};
  };
  infra::redis_client redis{stack_env("MOIM_REDIS_URL"), 5s};
  auto redis_count = [&] {
    auto v = redis.command({"HGET", "moim:room:" + room, "messages"});
    return v && *v ? std::stoull(**v) : 0ULL;
  };
  auto deadline = std::chrono::steady_clock::now() + 180s;
  while (std::chrono::steady_clock::now() < deadline
         && (history_newest() < last || search_count() < last
             || redis_count() < last))
    std::this_thread::sleep_for(500ms);
  CHECK(history_newest() == last);
  CHECK(search_count() == last);
  CHECK(redis_count() == last);
  // Each projection noticed its outage (and retried) rather than skipping.
  auto metrics = node.call_raw("GET", "/metrics", {});
  for (const auto* name : {"postgres", "search", "redis"}) {
    auto line = std::string{"moim_projection_failures_total{projection=\""}
                + name + "\"} ";
    auto at = metrics.body.find(line);
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(metrics.body.substr(at + line.size())) > 0);
  }
}
