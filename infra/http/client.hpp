#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace moim::infra {

struct http_reply {
  int status = 0;
  std::string body;
};

/// One HTTP/1.1 request over a fresh connection, bounded by `timeout` from
/// connect to the last byte. `url` is http://host:port/path?query.
/// Used for OpenSearch's REST API and by tests; not for hot paths.
[[nodiscard]] result<http_reply>
http_call(const std::string& method, const std::string& url,
          const std::string& body = {},
          std::chrono::milliseconds timeout = std::chrono::seconds{10},
          const std::string& content_type = "application/json");

/// http_call with extra request headers (e.g. Authorization).
[[nodiscard]] result<http_reply> http_call_with_headers(
  const std::string& method, const std::string& url, const std::string& body,
  const std::vector<std::pair<std::string, std::string>>& headers,
  std::chrono::milliseconds timeout = std::chrono::seconds{10});

} // namespace moim::infra
