#pragma once

#include "infra/http/message.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>

// Between Beast's messages and ours (http_request, http_response).
namespace moim::infra {

using beast_request
  = boost::beast::http::request<boost::beast::http::string_body>;
using beast_response
  = boost::beast::http::response<boost::beast::http::string_body>;

/// The request as handlers see it. Moves the body out of `raw`; the rest
/// of `raw` stays usable (keep-alive, upgrade checks).
[[nodiscard]] http_request to_http_request(beast_request& raw);

/// The response to write, shared so that it outlives an async write.
[[nodiscard]] std::shared_ptr<beast_response>
to_beast_response(http_response response, bool keep_alive);

} // namespace moim::infra
