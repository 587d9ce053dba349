#include "infra/search/search_probe.hpp"

#include "infra/http/client.hpp"

#include <nlohmann/json.hpp>

namespace moim::infra {

std::optional<std::string> probe_search(const std::string& url,
                                        std::chrono::milliseconds timeout) {
  auto reply = http_call("GET", url + "/_cluster/health", {}, timeout);
  if (!reply)
    return "search: " + reply.err().message;
  if (reply->status != 200)
    return "search: cluster health answered HTTP "
           + std::to_string(reply->status);
  auto doc = nlohmann::json::parse(reply->body, nullptr, false);
  if (doc.is_discarded() || !doc.contains("status"))
    return std::string{"search: cluster health is not the expected JSON"};
  auto status = doc["status"].get<std::string>();
  if (status == "red")
    return std::string{"search: cluster status is red"};
  return std::nullopt;
}

} // namespace moim::infra
