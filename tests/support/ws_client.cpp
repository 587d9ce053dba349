#include "tests/support/ws_client.hpp"

#include <deque>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

namespace moim::test {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

struct ws_client::impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> lines; ///< frames of a message not returned yet
  bool closed = false;
};

std::unique_ptr<ws_client> ws_client::connect(int port,
                                              const std::string& target,
                                              int* status,
                                              int receive_buffer_bytes) {
  auto d = std::make_unique<impl>();
  auto& socket = beast::get_lowest_layer(d->ws).socket();
  socket.open(net::ip::tcp::v4());
  if (receive_buffer_bytes > 0)
    socket.set_option(
      net::socket_base::receive_buffer_size(receive_buffer_bytes));
  socket.connect(
    {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  websocket::response_type res;
  beast::error_code ec;
  d->ws.handshake(res, "127.0.0.1", target, ec);
  if (status != nullptr)
    *status = static_cast<int>(res.result_int());
  if (ec)
    return nullptr;
  return std::unique_ptr<ws_client>{new ws_client(std::move(d))};
}

ws_client::ws_client(std::unique_ptr<impl> d) : impl_(std::move(d)) {
  // nop
}

ws_client::~ws_client() {
  if (!impl_->closed) {
    beast::error_code ignored;
    beast::get_lowest_layer(impl_->ws).socket().close(ignored);
  }
}

void ws_client::send(const std::string& text) {
  impl_->ws.text(true);
  beast::error_code ec;
  impl_->ws.write(net::buffer(text), ec);
}

std::optional<std::string>
ws_client::receive(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  if (!d.lines.empty()) {
    auto line = std::move(d.lines.front());
    d.lines.pop_front();
    return line;
  }
  if (d.closed)
    return std::nullopt;
  std::optional<std::string> out;
  bool done = false;
  d.ws.async_read(d.buffer, [&](beast::error_code ec, std::size_t) {
    done = true;
    if (ec) {
      d.closed = true;
      return;
    }
    out = beast::buffers_to_string(d.buffer.data());
    d.buffer.consume(d.buffer.size());
  });
  d.ioc.restart();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline)
    d.ioc.run_one_for(std::chrono::milliseconds{50});
  if (!done) {
    // Give up on this read: cancel it and let the handler run.
    beast::get_lowest_layer(d.ws).cancel();
    d.ioc.restart();
    d.ioc.run();
    d.closed = d.closed || !out;
    return std::nullopt;
  }
  // A message may carry several frames, one per line (the server joins
  // what queued up behind a write).
  if (out && out->find('\n') != std::string::npos) {
    std::size_t start = 0;
    for (auto nl = out->find('\n'); nl != std::string::npos;
         start = nl + 1, nl = out->find('\n', start))
      d.lines.push_back(out->substr(start, nl - start));
    d.lines.push_back(out->substr(start));
    out = std::move(d.lines.front());
    d.lines.pop_front();
  }
  return out;
}

nlohmann::json next_frame(ws_client& client, const std::string& type) {
  for (int i = 0; i < 200; ++i) {
    auto frame = client.receive(std::chrono::seconds{10});
    INFO("waiting for a '" << type << "' frame");
    REQUIRE(frame);
    auto doc = nlohmann::json::parse(*frame);
    if (doc["type"] == type)
      return doc;
  }
  FAIL("no '" << type << "' frame");
  return {};
}

int ws_client::close_code() const {
  return static_cast<int>(impl_->ws.reason().code);
}

} // namespace moim::test
