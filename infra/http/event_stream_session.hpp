#pragma once

#include "infra/http/connection_limit.hpp"
#include "infra/http/event_stream.hpp"

#include <boost/asio/ip/tcp.hpp>

namespace moim::infra {

/// Answers a request on `socket` with an endless chunked text/event-stream
/// if `accept` agrees, else with its HTTP response. Internal to the server.
void start_event_stream_session(boost::asio::ip::tcp::socket socket,
                                const http_request& request,
                                const event_stream_options& options,
                                const event_stream_accept_fn& accept,
                                connection_lease lease);

} // namespace moim::infra
