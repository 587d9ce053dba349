#include "infra/http/router.hpp"

namespace moim::infra {

void router::add(const std::string& method, const std::string& path,
                 http_handler handler) {
  routes_[path][method] = std::move(handler);
}

void router::dispatch(const http_request& request, reply_fn reply) const {
  auto by_path = routes_.find(request.path);
  if (by_path == routes_.end()) {
    reply(
      http_response::error(404, "not_found", "no resource at " + request.path));
    return;
  }
  auto by_method = by_path->second.find(request.method);
  if (by_method == by_path->second.end()) {
    std::string allowed;
    for (const auto& entry : by_path->second)
      allowed += (allowed.empty() ? "" : ", ") + entry.first;
    auto response = http_response::error(405, "method_not_allowed",
                                         request.method + " is not allowed on "
                                           + request.path + "; use " + allowed);
    response.headers.emplace_back("Allow", allowed);
    reply(std::move(response));
    return;
  }
  by_method->second(request, std::move(reply));
}

} // namespace moim::infra
