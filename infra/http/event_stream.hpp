#pragma once

#include "infra/http/message.hpp"

#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace moim::infra {

/// One open Server-Sent Events response (text/event-stream), free of Beast
/// types. send() and close() may be called from any thread.
class event_stream {
public:
  virtual ~event_stream() = default;

  /// Queues bytes of the stream (whole SSE events, see sse_event). A stream
  /// whose queue is full (the client does not read) is closed; false then.
  virtual bool send(std::string chunk) = 0;

  /// Ends the response and closes the connection.
  virtual void close() = 0;
};

/// Event streams open in this process now (a gauge).
[[nodiscard]] std::size_t open_event_streams();

struct event_stream_handlers {
  std::function<void()> on_open;   ///< the response header is on its way
  std::function<void()> on_closed; ///< the peer left or close() was called
};

/// Decides whether to open a stream for a GET on the stream path: handlers
/// for it, or an HTTP response refusing it (e.g. 401).
using event_stream_accept_fn
  = std::function<std::variant<event_stream_handlers, http_response>(
    const http_request& request, std::shared_ptr<event_stream> stream)>;

struct event_stream_options {
  std::string path = "/v1/notifications/stream";
  std::size_t max_queued_bytes = std::size_t{1} << 20; ///< outbound, per stream
};

/// One SSE event: "id:", "event:" (when not empty) and one "data:" line per
/// line of `data`, then a blank line.
[[nodiscard]] std::string sse_event(const std::string& id,
                                    const std::string& event,
                                    const std::string& data);

/// An SSE comment (": text"), which clients ignore: a heartbeat.
[[nodiscard]] std::string sse_comment(const std::string& text);

} // namespace moim::infra
