#include "infra/http/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "events/vassert.hpp"
#include "infra/http/beast_message.hpp"
#include "infra/http/event_stream_session.hpp"
#include "infra/http/websocket_session.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace moim::infra {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

class http_session : public std::enable_shared_from_this<http_session> {
public:
  /// A null `lease` makes a refusal: the request is read and answered 429.
  http_session(net::ip::tcp::socket socket, const http_session_config& config,
               connection_lease lease)
    : stream_(std::move(socket)), timer_(stream_.get_executor()),
      routes_(config.routes), max_body_(config.max_body_bytes), config_(config),
      lease_(std::move(lease)) {
    // nop
  }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->read();
    });
  }

private:
  /// After `after`, the pending read or write is cancelled and marked as
  /// timed out. Our own timer rather than tcp_stream's expiry, which closes
  /// the socket and leaves no way to answer 408.
  void arm(std::chrono::milliseconds after) {
    timed_out_ = false;
    timer_.expires_after(after);
    timer_.async_wait(
      [self = shared_from_this(), gen = ++timer_gen_](beast::error_code ec) {
        if (ec || gen != self->timer_gen_)
          return; // re-armed or disarmed since
        self->timed_out_ = true;
        beast::error_code ignored;
        self->stream_.socket().cancel(ignored);
      });
  }

  void disarm() {
    ++timer_gen_;
    timer_.cancel();
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(max_body_);
    arm(config_.header_timeout);
    http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_header(ec);
      });
  }

  void on_header(beast::error_code ec) {
    if (ec || parser_->is_done()) {
      on_read(ec);
      return;
    }
    arm(config_.body_timeout);
    http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
      });
  }

  void on_read(beast::error_code ec) {
    disarm();
    if (timed_out_) {
      // Half a request gets a reason; an idle keep-alive connection just
      // ends.
      if (parser_->got_some() || buffer_.size() > 0)
        respond(http_response::error(408, "request_timeout",
                                     "the request did not arrive in time"),
                false);
      else
        close();
      return;
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted
        || ec == net::error::eof || ec == net::error::connection_reset) {
      close();
      return;
    }
    if (ec == http::error::body_limit) {
      respond(http_response::error(413, "body_too_large",
                                   "request body exceeds "
                                     + std::to_string(max_body_) + " bytes"),
              false);
      return;
    }
    if (ec) {
      respond(http_response::error(400, "bad_request",
                                   "malformed HTTP request: " + ec.message()),
              false);
      return;
    }
    if (!lease_) {
      respond(http_response::error(429, "too_many_connections",
                                   "this address has too many open "
                                   "connections; close some and retry"),
              false);
      return;
    }
    auto& req = parser_->get();
    auto request = to_http_request(req);
    keep_alive_ = req.keep_alive();
    if (config_.websocket != nullptr && config_.accept_websocket != nullptr
        && beast::websocket::is_upgrade(req)
        && request.path == config_.websocket->path) {
      start_websocket_session(stream_.release_socket(), parser_->release(),
                              request, *config_.websocket,
                              *config_.accept_websocket, std::move(lease_));
      return;
    }
    if (config_.event_stream != nullptr
        && config_.accept_event_stream != nullptr && request.method == "GET"
        && request.path == config_.event_stream->path) {
      start_event_stream_session(
        stream_.release_socket(), request, *config_.event_stream,
        *config_.accept_event_stream, std::move(lease_));
      return;
    }
    auto answered = std::make_shared<std::atomic<bool>>(false);
    routes_.dispatch(std::move(request), [self = shared_from_this(),
                                          answered](http_response response) {
      if (answered->exchange(true))
        return; // a second reply is a handler bug; the first one stands
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response)]() mutable {
                  self->respond(std::move(response), self->keep_alive_);
                });
    });
  }

  void respond(http_response response, bool keep_alive) {
    auto res = to_beast_response(std::move(response), keep_alive);
    arm(config_.body_timeout); // a client that does not read is let go
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res,
                       keep_alive](beast::error_code ec, std::size_t) {
                        self->disarm();
                        if (ec || !keep_alive)
                          self->close();
                        else
                          self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  net::steady_timer timer_;
  std::uint64_t timer_gen_ = 0;
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const router& routes_;
  std::size_t max_body_;
  const http_session_config& config_;
  connection_lease lease_;
  bool keep_alive_ = false;
};

} // namespace

void start_http_session(net::ip::tcp::socket socket,
                        const http_session_config& config,
                        connection_lease lease) {
  MOIM_VASSERT(lease != nullptr, "an admitted connection without a lease");
  std::make_shared<http_session>(std::move(socket), config, std::move(lease))
    ->run();
}

void refuse_http_session(net::ip::tcp::socket socket,
                         const http_session_config& config) {
  std::make_shared<http_session>(std::move(socket), config, nullptr)->run();
}

} // namespace moim::infra
