#include "infra/http/beast_request.hpp"

namespace moim::infra {

http_request to_http_request(
  boost::beast::http::request<boost::beast::http::string_body>& raw) {
  http_request request;
  request.method = std::string{raw.method_string()};
  request.target = std::string{raw.target()};
  request.split_target();
  for (const auto& field : raw)
    request.headers.emplace_back(std::string{field.name_string()},
                                 std::string{field.value()});
  request.body = std::move(raw.body());
  return request;
}

} // namespace moim::infra
