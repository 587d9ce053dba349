#include "infra/http/server_config.hpp"

namespace moim::infra {

config_keys<http_server_options> http_server_keys() {
  using options = http_server_options;
  return {
    text<options>("host", "address the HTTP server binds to", &options::host),
    integer<options>("port", "TCP port of the HTTP server (0: any free port)",
                     &options::port, 0, 65535),
    integer<options>("threads", "I/O threads of the HTTP server",
                     &options::threads, 1, 64),
    integer<options>("max_body_bytes", "largest request body accepted",
                     &options::max_body_bytes, 1024, std::int64_t{64} << 20),
    integer<options>("header_timeout_ms",
                     "a request's header must arrive within this (408); also "
                     "how long an idle keep-alive connection stays open",
                     &options::header_timeout, 100, 600000),
    integer<options>("body_timeout_ms",
                     "a declared request body must arrive within this after "
                     "its header (408)",
                     &options::body_timeout, 100, 600000),
    integer<options>("max_connections_per_ip",
                     "open connections (HTTP, WebSocket, SSE) from one IP "
                     "address; more get 429",
                     &options::max_connections_per_ip, 1, 1000000),
  };
}

config_keys<websocket_options> websocket_keys() {
  using options = websocket_options;
  return {
    integer<options>("max_frame_bytes",
                     "larger client frames close the connection",
                     &options::max_frame_bytes, 256, 16 << 20),
    integer<options>("max_queued_bytes",
                     "outbound bytes queued per connection (besides a 64 KiB "
                     "socket buffer) before it is dropped as slow",
                     &options::max_queued_bytes, 4096, 1 << 30),
  };
}

} // namespace moim::infra
