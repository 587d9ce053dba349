#include "infra/http/message.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace moim::infra {

namespace {

bool iequals(std::string_view x, std::string_view y) {
  return x.size() == y.size()
         && std::equal(x.begin(), x.end(), y.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a))
                     == std::tolower(static_cast<unsigned char>(b));
            });
}

} // namespace

std::optional<std::string> http_request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name))
      return value;
  return std::nullopt;
}

std::string http_request::param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name)
      return value;
  return {};
}

std::optional<std::string>
http_request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return std::string{eq == std::string_view::npos ? std::string_view{}
                                                      : pair.substr(eq + 1)};
    if (amp == std::string_view::npos)
      break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

void http_request::split_target() {
  auto q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string::npos ? std::string{} : target.substr(q + 1);
}

http_response http_response::json(int status, const nlohmann::json& body) {
  http_response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

http_response http_response::error(int status, std::string_view code,
                                   std::string_view message) {
  return json(status, {{"error", {{"code", code}, {"message", message}}}});
}

http_response http_response::text(int status, std::string body,
                                  std::string content_type) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

std::string url_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0
               && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

} // namespace moim::infra
