#include "infra/http/router.hpp"

namespace moim::infra {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos)
      slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

/// The parameters when `segments` match `pattern`.
std::optional<std::vector<std::pair<std::string, std::string>>>
match(const std::vector<std::string>& pattern,
      const std::vector<std::string>& segments) {
  if (pattern.size() != segments.size())
    return std::nullopt;
  std::vector<std::pair<std::string, std::string>> params;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (segments[i].empty())
        return std::nullopt;
      params.emplace_back(pattern[i].substr(1, pattern[i].size() - 2),
                          segments[i]);
    } else if (pattern[i] != segments[i]) {
      return std::nullopt;
    }
  }
  return params;
}

} // namespace

void router::add(const std::string& method, const std::string& pattern,
                 http_handler handler) {
  routes_.push_back({method, split_path(pattern), std::move(handler)});
}

void router::dispatch(http_request request, reply_fn reply) const {
  if (request.path.empty() || request.path.front() != '/') {
    reply(
      http_response::error(400, "bad_request", "the path must start with /"));
    return;
  }
  auto segments = split_path(request.path);
  std::string allowed;
  for (const auto& r : routes_) {
    auto params = match(r.segments, segments);
    if (!params)
      continue;
    if (r.method == request.method) {
      request.params = std::move(*params);
      r.handler(request, std::move(reply));
      return;
    }
    allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  if (allowed.empty()) {
    reply(
      http_response::error(404, "not_found", "no resource at " + request.path));
    return;
  }
  auto response = http_response::error(405, "method_not_allowed",
                                       request.method + " is not allowed on "
                                         + request.path + "; use " + allowed);
  response.headers.emplace_back("Allow", allowed);
  reply(std::move(response));
}

} // namespace moim::infra
