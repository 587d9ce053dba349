#include "infra/http/websocket_session.hpp"

#include "infra/http/beast_message.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <deque>

namespace moim::infra {

namespace {

std::atomic<std::size_t> open_sessions{0};

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

class ws_session : public websocket_connection,
                   public std::enable_shared_from_this<ws_session> {
public:
  ws_session(net::ip::tcp::socket socket, const websocket_options& options)
    : ws_(std::move(socket)), options_(options) {
    ++open_sessions;
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
        self->ws_.next_layer().socket().shutdown(
          net::ip::tcp::socket::shutdown_send, ignored);
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
      self->open_ = true;
      if (!self->queue_.empty()) // frames sent before the handshake ended
        self->write();
      if (self->handlers_.on_open)
        self->handlers_.on_open();
      self->read();
    });
  }

  bool send(std::string text) override {
    if (closing_)
      return false;
    if (queued_.fetch_add(1) >= options_.max_queued_frames) {
      queued_.fetch_sub(1);
      close(4008, "slow consumer: the client does not keep up");
      return false;
    }
    net::post(ws_.get_executor(),
              [self = shared_from_this(), text = std::move(text)]() mutable {
                self->queue_.push_back(std::move(text));
                if (self->queue_.size() == 1)
                  self->write();
              });
    return true;
  }

  void close(int code, std::string reason) override {
    if (closing_.exchange(true))
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

  void write() {
    ws_.text(true);
    ws_.async_write(
      net::buffer(queue_.front()),
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->queue_.pop_front();
        self->queued_.fetch_sub(1);
        if (ec) {
          self->closed();
          return;
        }
        if (!self->queue_.empty())
          self->write();
      });
  }

  void closed() {
    if (closed_.exchange(true))
      return;
    closing_ = true;
    if (handlers_.on_closed)
      handlers_.on_closed();
    // The handlers may hold what holds this session (an actor, the
    // connection itself): let go, or neither is ever freed.
    handlers_ = {};
  }

  websocket::stream<beast::tcp_stream> ws_;
  websocket_options options_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> closing_{false};
  std::atomic<bool> closed_{false};
  bool open_ = false; ///< handshake done (touched on the strand only)
  websocket_handlers handlers_;
};

} // namespace

std::size_t open_websocket_connections() {
  return open_sessions.load();
}

void start_websocket_session(net::ip::tcp::socket socket,
                             http::request<http::string_body> raw,
                             const http_request& request,
                             const websocket_options& options,
                             const websocket_accept_fn& accept) {
  auto session = std::make_shared<ws_session>(std::move(socket), options);
  auto decision = accept(request, session);
  if (auto* refusal = std::get_if<http_response>(&decision)) {
    session->reject(std::move(*refusal));
    return;
  }
  session->run(std::move(raw),
               std::get<websocket_handlers>(std::move(decision)));
}

} // namespace moim::infra
