// End to end: how moimd ends (SIGTERM) and comes back (after SIGKILL).

#include "tests/support/moimd_node.hpp"
#include "tests/support/sse_client.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

using namespace moim::test;
using namespace std::chrono_literals;
using nlohmann::json;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// The room's last message number, once the node serves it.
std::uint64_t last_message(moimd_node& n, const std::string& room,
                           const std::string& token) {
  return n.call("GET", "/v1/rooms/" + room, json{}, 200, token)["last_message"]
    .get<std::uint64_t>();
}

} // namespace

TEST_CASE("moimd: SIGTERM with WebSocket and SSE clients connected exits "
          "cleanly and in bounded time",
          "[e2e]") {
  moimd_node n;
  auto [a, ta] = n.user("stayer");
  auto room = n.call("POST", "/v1/rooms", {{"name", "Open"}}, 201, ta)["room"]
                .get<std::string>();
  auto w = ws_client::connect(n.port, "/v1/ws?token=" + ta);
  REQUIRE(w);
  w->send(json{{"type", "subscribe"}, {"room", room}}.dump());
  next_frame(*w, "subscribed");
  auto s = sse_client::connect(n.port, "/v1/notifications/stream",
                               {{"Authorization", "Bearer " + ta}});
  REQUIRE(s);
  REQUIRE(s->next(5s));

  auto start = clock_type::now();
  n.signal(SIGTERM);
  auto code = n.wait_exit(20s);
  INFO(n.output());
  REQUIRE(code);
  CHECK(*code == 0);
  WARN("exit after SIGTERM with clients connected: " << seconds_since(start)
                                                     << " s");
  // The clients see their connections end.
  CHECK_FALSE(w->receive(5s));
}

TEST_CASE("moimd: SIGTERM under load loses no acknowledged command, and after "
          "SIGKILL a restarted node serves again within seconds",
          "[e2e]") {
  moimd_node n;
  // A plain variable: a lambda below captures it (structured bindings
  // cannot be captured in C++17).
  const auto ta = n.user("writer").second;
  auto room = n.call("POST", "/v1/rooms", {{"name", "Load"}}, 201, ta)["room"]
                .get<std::string>();
  const auto messages = "/v1/rooms/" + room + "/messages";

  // Four writers post until the node stops answering; each remembers the
  // highest message number it was acknowledged.
  std::atomic<std::uint64_t> highest_acked{0};
  std::atomic<int> acked{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        auto r = moim::infra::http_call_with_headers(
          "POST", n.base + messages,
          json{
            {"text", "load"},
            {"client_message_id", std::to_string(t) + "-" + std::to_string(i)}}
            .dump(),
          {{"Authorization", "Bearer " + ta}}, 10s);
        if (!r)
          return; // the node is gone
        if (r->status != 201)
          continue; // 503 while it stops: not acknowledged
        auto seq = json::parse(r->body)["message"].get<std::uint64_t>();
        ++acked;
        auto seen = highest_acked.load();
        while (seq > seen && !highest_acked.compare_exchange_weak(seen, seq)) {
        }
      }
    });
  auto warmup = clock_type::now() + 60s;
  while (acked < 200 && clock_type::now() < warmup)
    std::this_thread::sleep_for(10ms);
  REQUIRE(acked >= 200);

  auto start = clock_type::now();
  n.signal(SIGTERM);
  auto code = n.wait_exit(30s);
  auto stop_s = seconds_since(start);
  stop = true;
  for (auto& t : writers)
    t.join();
  INFO(n.output());
  REQUIRE(code);
  CHECK(*code == 0);
  WARN("SIGTERM under load: exit after " << stop_s << " s, " << acked.load()
                                         << " messages acknowledged");

  n.restart();
  auto deadline = clock_type::now() + 90s;
  std::uint64_t kept = 0;
  while (clock_type::now() < deadline) {
    auto r = moim::infra::http_call_with_headers(
      "GET", n.base + "/v1/rooms/" + room, "",
      {{"Authorization", "Bearer " + ta}}, 5s);
    if (r && r->status == 200) {
      kept = json::parse(r->body)["last_message"].get<std::uint64_t>();
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  // Message numbers are dense: every acknowledged one is at or below the
  // room's last message, so none was lost.
  CHECK(kept >= highest_acked.load());
  CHECK(kept >= static_cast<std::uint64_t>(acked.load()));

  // SIGKILL, then the same node (same group.instance.id) again: the
  // group hands its partitions back at once instead of waiting out the dead
  // member's session (45 s).
  n.signal(SIGKILL);
  REQUIRE(n.wait_exit(10s));
  start = clock_type::now();
  n.restart();
  int status = 0;
  while (seconds_since(start) < 60.0) {
    auto r = moim::infra::http_call_with_headers(
      "POST", n.base + messages, json{{"text", "back"}}.dump(),
      {{"Authorization", "Bearer " + ta}}, 5s);
    if (r && (status = r->status) == 201)
      break;
    std::this_thread::sleep_for(100ms);
  }
  auto back_s = seconds_since(start);
  INFO(n.output());
  CHECK(status == 201);
  WARN("serving again " << back_s
                        << " s after a restart that followed SIGKILL");
  CHECK(back_s < 5.0);
  CHECK(last_message(n, room, ta) == kept + 1);
}
