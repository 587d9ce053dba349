#include "projections/search/search_read_model.hpp"

#include "infra/http/client.hpp"

#include <nlohmann/json.hpp>

namespace moim::projections {

namespace {

using nlohmann::json;

infra::result<json> search(const search_layout& l, const std::string& index,
                           const json& query) {
  auto reply = infra::http_call("POST", l.url + "/" + index + "/_search",
                                query.dump(), l.timeout);
  if (!reply)
    return infra::error{reply.err().code, "search: " + reply.err().message};
  if (reply->status != 200)
    return infra::error{infra::errc::unreachable,
                        "search: " + index + " answered HTTP "
                          + std::to_string(reply->status)};
  auto answer = json::parse(reply->body, nullptr, false);
  if (answer.is_discarded())
    return infra::error{infra::errc::protocol, "search: answer not JSON"};
  return answer;
}

} // namespace

search_read_model::search_read_model(search_layout layout)
  : layout_(std::move(layout)) {
  // nop
}

infra::result<std::vector<room_hit>>
search_read_model::rooms(const room_search& q) const {
  json filter = json::array({{{"term", {{"is_public", true}}}},
                             {{"term", {{"direct", false}}}},
                             {{"term", {{"closed", false}}}}});
  for (const auto& tag : q.tags)
    filter.push_back({{"term", {{"tags", tag}}}});
  json must = json::array();
  if (!q.text.empty())
    must.push_back({{"multi_match",
                     {{"query", q.text},
                      {"fields", {"name^3", "tags.text^2", "description"}},
                      {"operator", "and"},
                      {"fuzziness", "AUTO"},
                      {"prefix_length", 1}}}});
  json query = {{"size", q.limit},
                {"query", {{"bool", {{"must", must}, {"filter", filter}}}}},
                {"sort", {"_score", {{"member_count", "desc"}}}}};
  auto answer = search(layout_, layout_.rooms(), query);
  if (!answer)
    return answer.err();
  std::vector<room_hit> out;
  for (const auto& hit : (*answer)["hits"]["hits"]) {
    const auto& s = hit["_source"];
    out.push_back(
      {s.value("id", ""), s.value("name", ""), s.value("description", ""),
       s.value("tags", std::vector<std::string>{}),
       s.value("member_count", std::int64_t{0}),
       hit["_score"].is_number() ? hit["_score"].get<double>() : 0.0});
  }
  return out;
}

infra::result<std::vector<message_hit>>
search_read_model::messages(const std::string& room, const std::string& text,
                            std::size_t limit) const {
  json match = {{"multi_match",
                 {{"query", text},
                  {"fields", {"text^2", "text.cjk"}},
                  {"operator", "and"},
                  {"fuzziness", "AUTO"},
                  {"prefix_length", 1}}}};
  json filter = json::array(
    {{{"term", {{"room", room}}}}, {{"term", {{"deleted", false}}}}});
  json query = {
    {"size", limit},
    {"query", {{"bool", {{"must", json::array({match})}, {"filter", filter}}}}},
    {"sort", {"_score", {{"seq", "desc"}}}}};
  auto answer = search(layout_, layout_.messages(), query);
  if (!answer)
    return answer.err();
  std::vector<message_hit> out;
  for (const auto& hit : (*answer)["hits"]["hits"]) {
    const auto& s = hit["_source"];
    out.push_back(
      {s.value("seq", std::uint64_t{0}), s.value("author", ""),
       s.value("text", ""), s.value("posted_at", std::int64_t{0}),
       hit["_score"].is_number() ? hit["_score"].get<double>() : 0.0});
  }
  return out;
}

} // namespace moim::projections
