// The HTTP server in process, no services: what a WebSocket or an event
// stream may be sent before its handshake is done.

#include "infra/http/server.hpp"
#include "tests/support/sse_client.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;

TEST_CASE("http server: frames pushed during the upgrade wait for the "
          "handshake, then arrive first and in order") {
  infra::http_server_options options;
  options.websocket = infra::websocket_options{};
  // Pushes at once from the accept function, before the 101 is written, and
  // from another thread racing the handshake (a notification arriving during
  // the upgrade).
  options.accept_websocket
    = [](const infra::http_request&,
         std::shared_ptr<infra::websocket_connection> conn)
    -> std::variant<infra::websocket_handlers, infra::http_response> {
    conn->send("early 1");
    conn->send("early 2");
    std::thread{[conn] {
      conn->send("racing");
    }}.detach();
    infra::websocket_handlers h;
    h.on_text = [conn](std::string text) {
      conn->send("echo " + text);
    };
    return h;
  };
  options.event_stream = infra::event_stream_options{};
  options.accept_event_stream
    = [](const infra::http_request&, std::shared_ptr<infra::event_stream> s)
    -> std::variant<infra::event_stream_handlers, infra::http_response> {
    s->send("event: early\ndata: 1\n\n");
    return infra::event_stream_handlers{};
  };
  infra::http_server server{std::move(options), infra::router{}};
  auto port = server.start();
  REQUIRE(port);

  for (int round = 0; round < 50; ++round) {
    INFO("round " << round);
    auto ws = ws_client::connect(*port, "/v1/ws");
    REQUIRE(ws);
    std::vector<std::string> got;
    for (int i = 0; i < 3; ++i) {
      auto frame = ws->receive(5s);
      REQUIRE(frame);
      got.push_back(*frame);
    }
    CHECK(got[0] == "early 1");
    CHECK(got[1] == "early 2");
    CHECK(got[2] == "racing");
    ws->send("hi");
    CHECK(ws->receive(5s) == std::optional<std::string>{"echo hi"});
  }

  auto sse = sse_client::connect(*port, "/v1/notifications/stream", {});
  REQUIRE(sse);
  auto first = sse->next(5s);
  REQUIRE(first);
  CHECK(first->type == "early");
  CHECK(first->data == "1");
  server.stop();
}
