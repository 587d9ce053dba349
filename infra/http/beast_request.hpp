#pragma once

#include "infra/http/message.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace moim::infra {

/// The request as handlers see it. Moves the body out of `raw`; the rest
/// of `raw` stays usable (keep-alive, upgrade checks).
[[nodiscard]] http_request to_http_request(
  boost::beast::http::request<boost::beast::http::string_body>& raw);

} // namespace moim::infra
