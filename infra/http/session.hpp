#pragma once

#include "infra/http/router.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <cstddef>

namespace moim::infra {

/// Serves one HTTP connection until the peer closes it or it times out.
/// Internal to the server; declared here so that server.cpp stays small.
void start_http_session(boost::asio::ip::tcp::socket socket,
                        const router& routes, std::size_t max_body_bytes);

} // namespace moim::infra
