#pragma once

#include "infra/error.hpp"

#include <string>

namespace moim::infra {

struct redis_endpoint {
  std::string host;
  int port = 6379;
};

/// Parses redis://host[:port][/db]. The db part is not supported yet.
[[nodiscard]] result<redis_endpoint> parse_redis_url(const std::string& url);

} // namespace moim::infra
