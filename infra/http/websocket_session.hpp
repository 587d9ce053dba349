#pragma once

#include "infra/http/connection_limit.hpp"
#include "infra/http/websocket.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace moim::infra {

/// Upgrades an HTTP request on `socket` to a WebSocket if `accept` agrees,
/// else answers with its HTTP response. Internal to the server.
void start_websocket_session(
  boost::asio::ip::tcp::socket socket,
  boost::beast::http::request<boost::beast::http::string_body> raw,
  const http_request& request, const websocket_options& options,
  const websocket_accept_fn& accept, connection_lease lease);

} // namespace moim::infra
