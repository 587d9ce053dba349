#pragma once

#include "infra/config/config_key.hpp"
#include "infra/http/server.hpp"

namespace moim::infra {

/// The HTTP server's keys (moimd mounts them as `server.*`): bind address,
/// port, I/O threads, body limit, header/body timeouts, connections per IP.
[[nodiscard]] config_keys<http_server_options> http_server_keys();

/// The WebSocket endpoint's limits (moimd mounts them as `websocket.*`):
/// the largest client frame and the outbound bytes queued per connection.
[[nodiscard]] config_keys<websocket_options> websocket_keys();

} // namespace moim::infra
