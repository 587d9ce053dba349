#include "infra/http/server.hpp"

#include "infra/http/session.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace moim::infra {

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// An I/O thread and its own event loop: a connection lives on one loop
/// for its whole life, so its handlers never run concurrently and need no
/// strand (a strand's lock and hand-off per operation cost more than the
/// write itself), and a hand-off to a loop can carry the frames of all its
/// connections at once (send_to_each).
///
/// Not constructed with a concurrency hint of 1: asio then keeps what the
/// loop's own thread posts in a private queue that runs after what other
/// threads posted, and a connection's frames would pass each other.
struct io_loop {
  net::io_context context;
  std::thread thread;
};

struct http_server::impl {
  http_server_options options;
  router routes;
  std::vector<std::unique_ptr<io_loop>> loops;
  tcp::acceptor acceptor;
  std::size_t next_loop = 0;

  http_session_config session_config;
  connection_limit limit;

  impl(http_server_options opts, router r)
    : options(std::move(opts)), routes(std::move(r)),
      loops(make_loops(options.threads)), acceptor(loops.front()->context),
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

  static std::vector<std::unique_ptr<io_loop>> make_loops(int count) {
    std::vector<std::unique_ptr<io_loop>> made;
    for (int i = 0; i < std::max(count, 1); ++i)
      made.push_back(std::make_unique<io_loop>());
    return made;
  }

  /// Accepted connections go to the loops in turn.
  void accept() {
    auto& loop = *loops[next_loop++ % loops.size()];
    acceptor.async_accept(
      loop.context, [this](boost::system::error_code ec, tcp::socket socket) {
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
  for (auto& loop : d.loops)
    loop->thread = std::thread{[&context = loop->context] {
      auto work = net::make_work_guard(context); // idle until stop()
      context.run();
    }};
  return port;
}

void http_server::stop() {
  auto& d = *impl_;
  if (!d.loops.front()->thread.joinable())
    return;
  net::post(d.loops.front()->context, [&d] {
    boost::system::error_code ignored;
    d.acceptor.close(ignored);
  });
  for (auto& loop : d.loops) {
    loop->context.stop();
    loop->thread.join();
  }
}

} // namespace moim::infra
