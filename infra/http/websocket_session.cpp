#include "infra/http/websocket_session.hpp"

#include "infra/http/beast_message.hpp"
#include "infra/http/outbound_queue.hpp"

#include "events/vassert.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <utility>
#include <vector>

namespace moim::infra {

namespace {

std::atomic<std::size_t> open_sessions{0};

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

/// The session's socket with its loop's concrete executor type: Beast's
/// tcp_stream would add a timer's bookkeeping and a type-erased executor
/// to every write (copied, queried and released per operation), which
/// cost more than the write's system call at tens of thousands of frames
/// a second. The WebSocket stream keeps its own timeouts.
using executor_type = net::io_context::executor_type;
using socket_type = net::basic_stream_socket<net::ip::tcp, executor_type>;

/// The accepted socket, on the loop the acceptor gave it.
socket_type adopt(net::ip::tcp::socket socket) {
  const auto* loop = socket.get_executor().target<executor_type>();
  MOIM_VASSERT(loop != nullptr, "%s",
               "the acceptor gives each socket an io_context's executor");
  auto executor = *loop;
  auto protocol = net::ip::tcp::v4();
  beast::error_code ec;
  if (auto local = socket.local_endpoint(ec); !ec)
    protocol = local.protocol();
  auto handle = socket.release();
  return socket_type{executor, protocol, handle};
}

class ws_session : public websocket_connection,
                   public std::enable_shared_from_this<ws_session> {
public:
  ws_session(net::ip::tcp::socket socket, const websocket_options& options,
             connection_lease lease)
    : ws_(adopt(std::move(socket))), options_(options),
      outbound_(*this, options.max_queued_bytes), lease_(std::move(lease)) {
    ++open_sessions;
    // The kernel's send buffer counts toward the bound too: a small fixed
    // one, so a client that stops reading is found out within
    // max_queued_bytes plus this.
    beast::error_code ignored;
    ws_.next_layer().set_option(
      net::socket_base::send_buffer_size(
        static_cast<int>(options.socket_send_buffer_bytes)),
      ignored);
  }

  ~ws_session() override {
    --open_sessions;
  }

  ws_session(const ws_session&) = delete;
  ws_session& operator=(const ws_session&) = delete;

  void reject(http_response response) {
    auto res = to_beast_response(std::move(response), false);
    http::async_write(
      ws_.next_layer(), *res,
      [self = shared_from_this(), res](beast::error_code, std::size_t) {
        beast::error_code ignored;
        self->ws_.next_layer().shutdown(net::ip::tcp::socket::shutdown_send,
                                        ignored);
      });
  }

  void run(http::request<http::string_body> req, websocket_handlers handlers) {
    handlers_ = std::move(handlers);
    // Pings when idle and a timeout when the peer stops answering.
    ws_.set_option(
      websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(options_.max_frame_bytes);
    auto shared_req
      = std::make_shared<http::request<http::string_body>>(std::move(req));
    ws_.async_accept(*shared_req, [self = shared_from_this(),
                                   shared_req](beast::error_code ec) {
      if (ec) {
        self->closed();
        return;
      }
      // Frames queued during the handshake go out now, not before.
      self->outbound_.opened();
      if (self->handlers_.on_open)
        self->handlers_.on_open();
      self->read();
    });
  }

  using websocket_connection::send;

  bool send(shared_frame text) override {
    return outbound_.enqueue(std::move(text));
  }

  /// Any thread: counts a frame in for push() (see send_to_each).
  bool admit(std::size_t bytes) {
    return outbound_.admit(bytes);
  }

  /// Its loop's thread: queues a frame admitted before.
  void push(const shared_frame& frame) {
    outbound_.push(frame);
  }

  [[nodiscard]] net::io_context& loop() {
    return ws_.get_executor().context();
  }

  void close(int code, std::string reason) override {
    if (!outbound_.start_closing())
      return;
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::move(reason)] {
                self->ws_.async_close(
                  websocket::close_reason{
                    static_cast<websocket::close_code>(code), reason},
                  [self](beast::error_code) {
                    self->closed();
                  });
              });
  }

private:
  void read() {
    ws_.async_read(
      buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec == websocket::error::message_too_big) {
          self->close(1009, "frame too large");
          return;
        }
        if (ec) {
          self->closed();
          return;
        }
        auto text = beast::buffers_to_string(self->buffer_.data());
        self->buffer_.consume(self->buffer_.size());
        if (self->handlers_.on_text)
          self->handlers_.on_text(std::move(text));
        self->read();
      });
  }

  // outbound_queue's side of the session
  friend class outbound_queue<ws_session>;

  [[nodiscard]] auto executor() {
    return ws_.get_executor();
  }

  /// Frames written together share one message, a line each.
  [[nodiscard]] const std::string& separator() const {
    static const std::string newline{"\n"};
    return newline;
  }

  template<class Handler>
  void write_front(const std::string& text, Handler handler) {
    ws_.text(true);
    ws_.async_write(net::buffer(text),
                    [handler = std::move(handler)](beast::error_code ec,
                                                   std::size_t) mutable {
                      handler(ec);
                    });
  }

  void on_overflow() {
    close(4008, "slow consumer: the client does not keep up");
  }

  void on_write_error() {
    closed();
  }

  void closed() {
    if (closed_.exchange(true))
      return;
    outbound_.start_closing();
    if (handlers_.on_closed)
      handlers_.on_closed();
    // The handlers may hold what holds this session (an actor, the
    // connection itself): let go, or neither is ever freed.
    handlers_ = {};
  }

  websocket::stream<socket_type> ws_;
  websocket_options options_;
  beast::flat_buffer buffer_;
  outbound_queue<ws_session> outbound_;
  connection_lease lease_; ///< its place among its address's connections
  std::atomic<bool> closed_{false};
  websocket_handlers handlers_;
};

} // namespace

void send_to_each(
  const shared_frame& frame,
  const std::vector<std::shared_ptr<websocket_connection>>& to) {
  // One hand-off per loop, with that loop's connections: a frame for a
  // room of ten on two I/O threads is two posts, not ten.
  std::vector<
    std::pair<net::io_context*, std::vector<std::shared_ptr<ws_session>>>>
    by_loop;
  for (const auto& conn : to) {
    auto session = std::dynamic_pointer_cast<ws_session>(conn);
    if (!session) {
      conn->send(frame); // not one of ours (a test's sink)
      continue;
    }
    if (!session->admit(frame->size()))
      continue; // closing, or closed now as a slow consumer
    auto* loop = &session->loop();
    auto same
      = std::find_if(by_loop.begin(), by_loop.end(), [loop](const auto& entry) {
          return entry.first == loop;
        });
    if (same == by_loop.end())
      by_loop.push_back({loop, {std::move(session)}});
    else
      same->second.push_back(std::move(session));
  }
  for (auto& [loop, sessions] : by_loop)
    net::post(*loop, [frame, sessions = std::move(sessions)] {
      for (const auto& session : sessions)
        session->push(frame);
    });
}

std::size_t open_websocket_connections() {
  return open_sessions.load();
}

void start_websocket_session(net::ip::tcp::socket socket,
                             http::request<http::string_body> raw,
                             const http_request& request,
                             const websocket_options& options,
                             const websocket_accept_fn& accept,
                             connection_lease lease) {
  auto session = std::make_shared<ws_session>(std::move(socket), options,
                                              std::move(lease));
  auto decision = accept(request, session);
  if (auto* refusal = std::get_if<http_response>(&decision)) {
    session->reject(std::move(*refusal));
    return;
  }
  session->run(std::move(raw),
               std::get<websocket_handlers>(std::move(decision)));
}

} // namespace moim::infra
