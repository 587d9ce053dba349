#include "infra/http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace moim::infra {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct url_parts {
  std::string host;
  std::string port;
  std::string target;
};

std::optional<url_parts> split_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    return std::nullopt;
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  url_parts parts;
  parts.target = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    parts.host = authority;
    parts.port = "80";
  } else {
    parts.host = authority.substr(0, colon);
    parts.port = authority.substr(colon + 1);
  }
  if (parts.host.empty() || parts.port.empty())
    return std::nullopt;
  return parts;
}

} // namespace

result<http_reply> http_call(const std::string& method, const std::string& url,
                             const std::string& body,
                             std::chrono::milliseconds timeout,
                             const std::string& content_type) {
  return http_call_with_headers(method, url, body,
                                {{"Content-Type", content_type}}, timeout);
}

result<http_reply> http_call_with_headers(
  const std::string& method, const std::string& url, const std::string& body,
  const std::vector<std::pair<std::string, std::string>>& headers,
  std::chrono::milliseconds timeout) {
  auto parts = split_url(url);
  if (!parts)
    return error{errc::invalid, "'" + url + "' is not an http://host:port URL"};
  auto verb = http::string_to_verb(method);
  if (verb == http::verb::unknown)
    return error{errc::invalid, "unknown HTTP method " + method};

  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  http::request<http::string_body> req{verb, parts->target, 11};
  req.set(http::field::host, parts->host);
  req.set(http::field::user_agent, "moim");
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.prepare_payload();
  http::response<http::string_body> res;
  beast::error_code failure;
  const char* stage = "resolve";

  // Async operations on a private io_context, because only they honour the
  // stream's deadline.
  net::ip::tcp::resolver resolver{ioc};
  stream.expires_after(timeout);
  resolver.async_resolve(
    parts->host, parts->port,
    [&](beast::error_code ec, net::ip::tcp::resolver::results_type results) {
      if (ec) {
        failure = ec;
        return;
      }
      stage = "connect";
      stream.async_connect(results, [&](beast::error_code ec,
                                        const net::ip::tcp::endpoint&) {
        if (ec) {
          failure = ec;
          return;
        }
        stage = "send";
        http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
          if (ec) {
            failure = ec;
            return;
          }
          stage = "receive";
          http::async_read(stream, buffer, res,
                           [&](beast::error_code ec, std::size_t) {
                             failure = ec;
                           });
        });
      });
    });
  ioc.run();
  if (failure) {
    auto code
      = failure == beast::error::timeout ? errc::timeout : errc::unreachable;
    return error{code, method + " " + url + " failed at " + stage + ": "
                         + failure.message()};
  }
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  return http_reply{static_cast<int>(res.result_int()), std::move(res.body())};
}

} // namespace moim::infra
