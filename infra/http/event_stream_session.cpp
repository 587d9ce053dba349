#include "infra/http/event_stream_session.hpp"

#include "infra/http/beast_message.hpp"
#include "infra/http/outbound_queue.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <deque>

namespace moim::infra {

namespace {

std::atomic<std::size_t> open_streams{0};

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

class sse_session : public event_stream,
                    public std::enable_shared_from_this<sse_session> {
public:
  sse_session(net::ip::tcp::socket socket, const event_stream_options& options,
              connection_lease lease)
    : stream_(std::move(socket)), options_(options), serializer_(header_),
      outbound_(*this, options.max_queued_bytes), lease_(std::move(lease)) {
    ++open_streams;
  }

  ~sse_session() override {
    --open_streams;
  }

  sse_session(const sse_session&) = delete;
  sse_session& operator=(const sse_session&) = delete;

  void reject(http_response response) {
    auto res = to_beast_response(std::move(response), false);
    http::async_write(
      stream_, *res,
      [self = shared_from_this(), res](beast::error_code, std::size_t) {
        self->shutdown();
      });
  }

  void run(event_stream_handlers handlers) {
    handlers_ = std::move(handlers);
    header_.result(http::status::ok);
    header_.version(11);
    header_.set(http::field::server, "moimd");
    header_.set(http::field::content_type, "text/event-stream");
    header_.set(http::field::cache_control, "no-cache");
    header_.set("X-Accel-Buffering", "no"); // proxies: do not buffer
    header_.chunked(true);
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      http::async_write_header(self->stream_, self->serializer_,
                               [self](beast::error_code ec, std::size_t) {
                                 if (ec) {
                                   self->closed();
                                   return;
                                 }
                                 self->outbound_.opened();
                                 self->watch();
                               });
      if (self->handlers_.on_open)
        self->handlers_.on_open();
    });
  }

  bool send(std::string chunk) override {
    return outbound_.enqueue(std::move(chunk));
  }

  void close() override {
    if (!outbound_.start_closing())
      return;
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      net::async_write(self->stream_, http::make_chunk_last(),
                       [self](beast::error_code, std::size_t) {
                         self->shutdown();
                       });
    });
  }

private:
  /// Reads until the peer goes away; what a client sends is ignored.
  void watch() {
    stream_.async_read_some(
      net::buffer(scratch_),
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) {
          self->closed();
          return;
        }
        self->watch();
      });
  }

  // outbound_queue's side of the session
  friend class outbound_queue<sse_session>;

  [[nodiscard]] auto executor() {
    return stream_.get_executor();
  }

  /// SSE events end with a blank line already: they join as they are.
  [[nodiscard]] const std::string& separator() const {
    static const std::string none;
    return none;
  }

  template<class Handler>
  void write_front(const std::string& chunk, Handler handler) {
    net::async_write(stream_, http::make_chunk(net::buffer(chunk)),
                     [handler = std::move(handler)](beast::error_code ec,
                                                    std::size_t) mutable {
                       handler(ec);
                     });
  }

  void on_overflow() {
    close(); // the client does not read
  }

  void on_write_error() {
    closed();
  }

  void shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    closed();
  }

  void closed() {
    if (closed_.exchange(true))
      return;
    outbound_.start_closing();
    if (handlers_.on_closed)
      handlers_.on_closed();
    handlers_ = {}; // they may hold what holds this session
  }

  beast::tcp_stream stream_;
  event_stream_options options_;
  http::response<http::empty_body> header_;
  http::response_serializer<http::empty_body> serializer_;
  outbound_queue<sse_session> outbound_;
  connection_lease lease_; ///< its place among its address's connections
  std::array<char, 512> scratch_{};
  std::atomic<bool> closed_{false};
  event_stream_handlers handlers_;
};

} // namespace

std::size_t open_event_streams() {
  return open_streams.load();
}

std::string sse_event(const std::string& id, const std::string& event,
                      const std::string& data) {
  std::string out;
  if (!id.empty())
    out += "id: " + id + "\n";
  if (!event.empty())
    out += "event: " + event + "\n";
  std::size_t start = 0;
  while (true) {
    auto end = data.find('\n', start);
    out += "data: " + data.substr(start, end - start) + "\n";
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return out + "\n";
}

std::string sse_comment(const std::string& text) {
  return ": " + text + "\n\n";
}

void start_event_stream_session(net::ip::tcp::socket socket,
                                const http_request& request,
                                const event_stream_options& options,
                                const event_stream_accept_fn& accept,
                                connection_lease lease) {
  auto session = std::make_shared<sse_session>(std::move(socket), options,
                                               std::move(lease));
  auto decision = accept(request, session);
  if (auto* refusal = std::get_if<http_response>(&decision)) {
    session->reject(std::move(*refusal));
    return;
  }
  session->run(std::get<event_stream_handlers>(std::move(decision)));
}

} // namespace moim::infra
