#pragma once

#include "infra/error.hpp"
#include "infra/http/event_stream.hpp"
#include "infra/http/router.hpp"
#include "infra/http/websocket.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace moim::infra {

struct http_server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; ///< 0: any free port, see http_server::port()
  int threads = 2;
  std::size_t max_body_bytes = 1 << 20;
  /// A request's header must arrive within this (also how long an idle
  /// keep-alive connection waits for its next request); then 408 or close.
  std::chrono::milliseconds header_timeout{10000};
  /// A declared body must arrive within this after its header; then 408.
  std::chrono::milliseconds body_timeout{30000};
  /// Open connections (HTTP, WebSocket and SSE) from one IP address; more
  /// are answered 429 and closed. Above what one host's clients (a NAT,
  /// a load generator) hold; below the process's descriptors.
  std::size_t max_connections_per_ip = 4096;
  /// Set both to serve WebSocket upgrades on websocket->path.
  std::optional<websocket_options> websocket;
  websocket_accept_fn accept_websocket;
  /// Set both to serve Server-Sent Events on a GET of event_stream->path.
  std::optional<event_stream_options> event_stream;
  event_stream_accept_fn accept_event_stream;
};

/// HTTP/1.1 over Boost.Beast: keep-alive, a body limit (413), malformed
/// requests answered with 400, header and body timeouts (408), a cap on
/// connections per IP address (429). Requests go to the router;
/// handlers may reply from any thread.
class http_server {
public:
  http_server(http_server_options options, router routes);
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds, listens and starts the I/O threads. Returns the bound port.
  [[nodiscard]] result<std::uint16_t> start();

  /// Stops accepting, closes connections and joins the I/O threads.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace moim::infra
