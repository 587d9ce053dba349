// End to end over WebSocket: a slow consumer and expiring tokens.

#include "tests/support/moimd_node.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace moim::test;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("websocket: a slow consumer is disconnected while the room goes on",
          "[e2e]") {
  moimd_node n({"--websocket.max_queued_bytes", "1048576",
                "--websocket.messages_per_second", "100000"});
  auto [a, ta] = n.user("writer");
  auto [b, tb] = n.user("sleeper");
  auto [c, tc] = n.user("reader");
  auto room = n.call("POST", "/v1/rooms", {{"name", "Busy"}}, 201, ta)["room"]
                .get<std::string>();
  for (const auto& t : {tb, tc})
    n.call("POST", "/v1/rooms/" + room + "/join", json::object(), 200, t);

  auto wa = ws_client::connect(n.port, "/v1/ws?token=" + ta);
  // The sleeper's kernel holds at most a little (SO_RCVBUF 16 KiB), so
  // what it drains below is what moimd let pile up for it.
  auto wb = ws_client::connect(n.port, "/v1/ws?token=" + tb, nullptr, 16384);
  auto wc = ws_client::connect(n.port, "/v1/ws?token=" + tc);
  REQUIRE((wa && wb && wc));
  for (auto* w : {wa.get(), wb.get(), wc.get()}) {
    w->send(json{{"type", "subscribe"}, {"room", room}}.dump());
    next_frame(*w, "subscribed");
  }

  // 12 MB of messages: more than the socket buffers between moimd and a
  // client that does not read, so its outbound queue overflows. The writer
  // sends 50 at a time and reads its acks (and the room's events) between.
  constexpr int count = 3000;
  constexpr int batch = 50;
  const std::string text(4000, 'x');
  std::thread writer{[&] {
    for (int i = 0; i < count; i += batch) {
      for (int j = i; j < i + batch; ++j)
        wa->send(json{{"type", "send"},
                      {"room", room},
                      {"text", text},
                      {"client_message_id", std::to_string(j)}}
                   .dump());
      for (int acked = 0; acked < batch;) {
        auto frame = wa->receive(20s);
        if (!frame)
          return; // the reader below then misses messages and fails
        acked += json::parse(*frame)["type"] == "ack" ? 1 : 0;
      }
    }
  }};
  // The reader keeps up and sees every message, in order.
  std::uint64_t last = 0;
  int seen = 0;
  while (seen < count) {
    auto ev = next_frame(*wc, "event");
    if (ev["event"] != "room.message_posted")
      continue;
    CHECK(ev["seq"].get<std::uint64_t>() > last);
    last = ev["seq"].get<std::uint64_t>();
    ++seen;
  }
  writer.join();
  CHECK(seen == count);

  // The sleeper was dropped with 4008. What reached it is bounded in bytes
  // by the queue (1 MiB here), the server's socket buffer (64 KiB, which
  // Linux doubles) and its own small one: not the 12 MB sent.
  std::size_t drained_bytes = 0;
  int drained = 0;
  while (auto frame = wb->receive(10s)) {
    drained_bytes += frame->size();
    ++drained;
  }
  WARN("the sleeper drained " << drained << " frames, " << drained_bytes
                              << " bytes, before its 4008");
  CHECK(drained < count);
  CHECK(drained_bytes < std::size_t{1536} * 1024);
  CHECK(wb->close_code() == 4008);
}

TEST_CASE("websocket: an expired token is refused, and a connection ends "
          "when its token expires",
          "[e2e]") {
  moimd_node n({"--auth.access_ttl_s", "2"});
  auto [a, ta] = n.user("brief");
  auto w = ws_client::connect(n.port, "/v1/ws?token=" + ta);
  REQUIRE(w);
  next_frame(*w, "authenticated");
  auto expired = next_frame(*w, "error");
  CHECK(expired["code"] == "token_expired");
  CHECK_FALSE(w->receive(5s));
  CHECK(w->close_code() == 4001);

  CHECK(ws_client::connect(n.port, "/v1/ws?token=" + ta) == nullptr);
  auto refused_upgrade = moim::infra::http_call_with_headers(
    "GET", n.base + "/v1/ws?token=" + ta, "",
    {{"Connection", "Upgrade"},
     {"Upgrade", "websocket"},
     {"Sec-WebSocket-Version", "13"},
     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  REQUIRE(refused_upgrade);
  CHECK(refused_upgrade->status == 401);
  auto late = ws_client::connect(n.port, "/v1/ws");
  REQUIRE(late);
  late->send(json{{"type", "auth"}, {"token", ta}}.dump());
  auto refused = next_frame(*late, "error");
  CHECK(refused["code"] == "unauthenticated");
  CHECK_THAT(refused["message"].get<std::string>(), Catch::Contains("expired"));
}
