#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace moim::infra {

/// An HTTP request as handlers see it, free of Beast types so that routing
/// can be tested and fuzzed without a socket.
struct http_request {
  std::string method; ///< upper case, e.g. "GET"
  std::string target; ///< as sent: path and query
  std::string path;   ///< the target before '?'
  std::string query;  ///< the target after '?', undecoded
  std::vector<std::pair<std::string, std::string>>
    headers; ///< names lower case
  std::string body;
  /// Values of the route's {name} segments, filled in by the router.
  std::vector<std::pair<std::string, std::string>> params;

  /// The path parameter `name` ("" when absent).
  [[nodiscard]] std::string param(std::string_view name) const;

  /// The first header of that name (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;

  /// The first query parameter `name`, undecoded (ids and tokens need no
  /// decoding), if any.
  [[nodiscard]] std::optional<std::string>
  query_param(std::string_view name) const;

  /// Splits `target` into `path` and `query`.
  void split_target();
};

/// A query parameter's value decoded: "%XX" to its byte and '+' to a space
/// (form encoding); a malformed escape stays as it is. By hand: Boost 1.74
/// has no URL library (Boost.URL is 1.81) and Beast decodes no queries.
[[nodiscard]] std::string url_decode(std::string_view text);

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  [[nodiscard]] static http_response json(int status,
                                          const nlohmann::json& body);

  /// {"error": {"code": code, "message": message}}
  [[nodiscard]] static http_response error(int status, std::string_view code,
                                           std::string_view message);

  [[nodiscard]] static http_response text(int status, std::string body,
                                          std::string content_type
                                          = "text/plain; charset=utf-8");
};

} // namespace moim::infra
