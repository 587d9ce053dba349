#include "infra/http/server.hpp"

#include "infra/http/session.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <spdlog/spdlog.h>

#include <thread>
#include <vector>

namespace moim::infra {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct http_server::impl {
  http_server_options options;
  router routes;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;

  http_session_config session_config;
  connection_limit limit;

  impl(http_server_options opts, router r)
    : options(std::move(opts)), routes(std::move(r)), ioc(options.threads),
      session_config{
        routes,
        options.max_body_bytes,
        options.header_timeout,
        options.body_timeout,
        options.websocket ? &*options.websocket : nullptr,
        options.accept_websocket ? &options.accept_websocket : nullptr,
        options.event_stream ? &*options.event_stream : nullptr,
        options.accept_event_stream ? &options.accept_event_stream : nullptr},
      limit(options.max_connections_per_ip) {
    // nop
  }

  void accept() {
    acceptor.async_accept(
      net::make_strand(ioc),
      [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted)
          return;
        if (ec) {
          spdlog::warn("accept failed: {}", ec.message());
        } else {
          // A frame goes out when written: Nagle's algorithm would hold a
          // small frame (an ack behind a delivery) until the peer's
          // delayed ACK, 40 ms later.
          boost::system::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          boost::system::error_code peer_ec;
          auto peer = socket.remote_endpoint(peer_ec);
          auto lease = peer_ec ? nullptr : limit.admit(peer.address());
          if (lease)
            start_http_session(std::move(socket), session_config,
                               std::move(lease));
          else if (!peer_ec)
            refuse_http_session(std::move(socket), session_config);
        }
        accept();
      });
  }
};

http_server::http_server(http_server_options options, router routes)
  : impl_(std::make_unique<impl>(std::move(options), std::move(routes))) {
  // nop
}

http_server::~http_server() {
  stop();
}

result<std::uint16_t> http_server::start() {
  auto& d = *impl_;
  boost::system::error_code ec;
  auto address = net::ip::make_address(d.options.host, ec);
  if (ec)
    return error{errc::invalid, "server.host '" + d.options.host
                                  + "' is not an IP address: " + ec.message()};
  tcp::endpoint endpoint{address, d.options.port};
  d.acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    d.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    d.acceptor.bind(endpoint, ec);
  if (!ec)
    d.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return error{errc::unreachable, "cannot listen on " + d.options.host + ":"
                                      + std::to_string(d.options.port) + ": "
                                      + ec.message()
                                      + " (set server.port to a free port)"};
  auto port = d.acceptor.local_endpoint().port();
  d.accept();
  for (int i = 0; i < d.options.threads; ++i)
    d.threads.emplace_back([&d] {
      d.ioc.run();
    });
  return port;
}

void http_server::stop() {
  auto& d = *impl_;
  if (d.threads.empty())
    return;
  net::post(d.ioc, [&d] {
    boost::system::error_code ignored;
    d.acceptor.close(ignored);
  });
  d.ioc.stop();
  for (auto& t : d.threads)
    t.join();
  d.threads.clear();
}

} // namespace moim::infra
