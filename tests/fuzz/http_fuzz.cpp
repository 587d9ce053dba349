// Fuzzes what an HTTP request goes through before a handler: Beast's
// parser (as the server configures it), the conversion to http_request and
// the router. Any bytes: no crash, and a parsed request gets exactly one
// answer, a handler's or a 4xx.
#include "infra/http/beast_message.hpp"
#include "infra/http/router.hpp"

#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>

namespace {

namespace http = boost::beast::http;
using moim::infra::http_request;
using moim::infra::http_response;
using moim::infra::reply_fn;

void require(bool ok) {
  if (!ok)
    __builtin_trap();
}

/// Routes shaped like the REST API's (static, {param} and nested).
const moim::infra::router& routes() {
  static const moim::infra::router r = [] {
    moim::infra::router out;
    auto handler = [](const http_request& req, reply_fn reply) {
      for (const auto& [name, value] : req.params)
        require(!name.empty() && !value.empty()
                && value.find('/') == std::string::npos);
      (void)req.query_param("token");
      (void)req.header("authorization");
      reply(http_response::text(200, req.path));
    };
    for (const char* path :
         {"/v1/users", "/v1/users/me", "/v1/users/me/friends/{id}",
          "/v1/users/{id}", "/v1/rooms/{id}", "/v1/rooms/{id}/messages/{seq}",
          "/v1/schedules/{id}/seats", "/healthz"})
      for (const char* method : {"GET", "POST", "DELETE"})
        out.add(method, path, handler);
    return out;
  }();
  return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done())
    return 0;
  auto request = moim::infra::to_http_request(parser.get());
  int answers = 0;
  int status = 0;
  routes().dispatch(std::move(request), [&](http_response r) {
    ++answers;
    status = r.status;
  });
  require(answers == 1);
  require(status == 200 || status == 400 || status == 404 || status == 405);
  return 0;
}
