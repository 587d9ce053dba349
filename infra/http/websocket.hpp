#pragma once

#include "infra/http/message.hpp"
#include "infra/http/shared_frame.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace moim::infra {

/// One accepted WebSocket, free of Beast types. send() and close() may be
/// called from any thread.
class websocket_connection {
public:
  virtual ~websocket_connection() = default;

  /// Queues a text frame. A connection whose queue is full (the client does
  /// not keep up) is closed with 4008 "slow consumer"; false then. Frames
  /// that queue up behind a write go out in one WebSocket message, one
  /// frame per line (JSON text holds no raw newline).
  virtual bool send(shared_frame text) = 0;

  bool send(std::string text) {
    return send(make_frame(std::move(text)));
  }

  virtual void close(int code, std::string reason) = 0;
};

/// Sends `frame` to each of `to`, as each one's send() would (a slow
/// consumer is closed, a closing connection skipped), handing it to each
/// I/O thread once for all of that thread's connections.
void send_to_each(const shared_frame& frame,
                  const std::vector<std::shared_ptr<websocket_connection>>& to);

/// WebSocket connections open in this process now (a gauge).
[[nodiscard]] std::size_t open_websocket_connections();

/// What a connection does with what the client sends.
struct websocket_handlers {
  std::function<void()> on_open; ///< after the handshake; send from here on
  std::function<void(std::string text)> on_text;
  std::function<void()> on_closed;
};

/// Decides whether to upgrade a request: handlers for the new connection,
/// or an HTTP response refusing it (e.g. 401).
using websocket_accept_fn
  = std::function<std::variant<websocket_handlers, http_response>(
    const http_request& request, std::shared_ptr<websocket_connection> conn)>;

struct websocket_options {
  std::string path = "/v1/ws";
  std::size_t max_frame_bytes
    = std::size_t{64} * 1024; ///< larger: closed with 1009
  /// Outbound bytes queued per connection and not yet taken by the
  /// kernel; a client further behind is closed with 4008.
  std::size_t max_queued_bytes = std::size_t{4} << 20;
  /// The socket's send buffer (SO_SNDBUF), part of the same bound.
  std::size_t socket_send_buffer_bytes = std::size_t{64} << 10;
};

} // namespace moim::infra
