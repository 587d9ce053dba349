#pragma once

#include "infra/http/event_stream.hpp"
#include "infra/http/router.hpp"
#include "infra/http/websocket.hpp"

#include <boost/asio/ip/tcp.hpp>

#include "infra/http/connection_limit.hpp"

#include <chrono>
#include <cstddef>

namespace moim::infra {

/// Serves one HTTP connection until the peer closes it or it times out.
/// Internal to the server; declared here so that server.cpp stays small.
/// What every connection of a server shares.
struct http_session_config {
  const router& routes;
  std::size_t max_body_bytes;
  std::chrono::milliseconds header_timeout;
  std::chrono::milliseconds body_timeout;
  const websocket_options* websocket = nullptr; ///< null: no upgrades
  const websocket_accept_fn* accept_websocket = nullptr;
  const event_stream_options* event_stream = nullptr; ///< null: no SSE
  const event_stream_accept_fn* accept_event_stream = nullptr;
};

/// Serves `socket` while `lease` holds its place among the connections of
/// its address.
void start_http_session(boost::asio::ip::tcp::socket socket,
                        const http_session_config& config,
                        connection_lease lease);

/// Answers 429 on `socket` (its address holds all its connections) and
/// closes it.
void refuse_http_session(boost::asio::ip::tcp::socket socket,
                         const http_session_config& config);

} // namespace moim::infra
