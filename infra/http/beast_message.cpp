#include "infra/http/beast_message.hpp"

namespace moim::infra {

http_request to_http_request(beast_request& raw) {
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

std::shared_ptr<beast_response> to_beast_response(http_response response,
                                                  bool keep_alive) {
  namespace http = boost::beast::http;
  auto res = std::make_shared<beast_response>();
  res->result(static_cast<unsigned>(response.status));
  res->version(11);
  res->set(http::field::server, "moimd");
  res->set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers)
    res->set(name, value);
  res->body() = std::move(response.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  return res;
}

} // namespace moim::infra
