#include "tests/support/sse_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <functional>

namespace moim::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct sse_client::impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  std::string pending; ///< body not yet split into events
  /// Appends chunk data to `pending` (the parser keeps a reference).
  std::function<std::size_t(std::uint64_t, beast::string_view,
                            beast::error_code&)>
    on_body
    = [this](std::uint64_t, beast::string_view body, beast::error_code&) {
        pending.append(body.data(), body.size());
        return body.size();
      };
  bool ended = false;

  /// Runs the I/O until `done` or the deadline; cancels what is left.
  bool run_until(const bool& done, std::chrono::milliseconds timeout) {
    ioc.restart();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline)
      ioc.run_one_for(std::chrono::milliseconds{50});
    if (!done) {
      stream.cancel();
      ioc.restart();
      ioc.run();
    }
    return done;
  }
};

std::unique_ptr<sse_client> sse_client::connect(
  int port, const std::string& target,
  const std::vector<std::pair<std::string, std::string>>& headers, int* status,
  std::chrono::milliseconds timeout) {
  auto d = std::make_unique<impl>();
  d->stream.connect(net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"),
                                           static_cast<unsigned short>(port)});
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::accept, "text/event-stream");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  http::write(d->stream, req);
  d->parser.body_limit(std::uint64_t{1} << 40); // the stream is endless
  d->parser.on_chunk_body(d->on_body);
  bool done = false;
  beast::error_code result;
  http::async_read_header(d->stream, d->buffer, d->parser,
                          [&](beast::error_code ec, std::size_t) {
                            result = ec;
                            done = true;
                          });
  if (!d->run_until(done, timeout) || result)
    return nullptr;
  if (status != nullptr)
    *status = static_cast<int>(d->parser.get().result_int());
  if (d->parser.get().result_int() != 200)
    return nullptr;
  return std::unique_ptr<sse_client>{new sse_client(std::move(d))};
}

sse_client::sse_client(std::unique_ptr<impl> d) : impl_(std::move(d)) {
  // nop
}

sse_client::~sse_client() {
  beast::error_code ignored;
  impl_->stream.socket().close(ignored);
}

std::optional<sse_client::event>
sse_client::next(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto end = d.pending.find("\n\n");
    if (end != std::string::npos) {
      auto block = d.pending.substr(0, end + 1);
      d.pending.erase(0, end + 2);
      event e{"", "message", ""};
      bool comment_only = true;
      for (std::size_t at = 0; at < block.size();) {
        auto nl = block.find('\n', at);
        auto line = block.substr(at, nl - at);
        at = nl + 1;
        if (!line.empty() && line.front() == ':')
          continue;
        comment_only = false;
        auto colon = line.find(": ");
        auto field = line.substr(0, colon);
        auto value = colon == std::string::npos ? "" : line.substr(colon + 2);
        if (field == "id")
          e.id = value;
        else if (field == "event")
          e.type = value;
        else if (field == "data")
          e.data += (e.data.empty() ? "" : "\n") + value;
      }
      if (comment_only)
        e.type = ":";
      if (comment_only || e.type != "message" || !e.data.empty())
        return e;
      continue; // e.g. a lone "retry:" line
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (d.ended || left.count() <= 0)
      return std::nullopt;
    bool done = false;
    http::async_read_some(d.stream, d.buffer, d.parser,
                          [&](beast::error_code ec, std::size_t) {
                            if (ec && ec != net::error::operation_aborted)
                              d.ended = true;
                            done = true;
                          });
    if (!d.run_until(done, left))
      return std::nullopt;
  }
}

} // namespace moim::test
