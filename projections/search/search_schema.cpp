#include "projections/search/search_schema.hpp"

#include "infra/http/client.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace moim::projections {

namespace {

using nlohmann::json;

/// Text analysis for Korean and English with what OpenSearch ships (no
/// plugin). Every text field is analyzed twice:
/// - the field itself by words: the standard tokenizer splits on Unicode
///   word boundaries, cjk_width folds full- and half-width forms, and,
///   when indexing only (`moim_index`), the synonym rules add their
///   equivalents, so that a fuzzy query (`moim_search`, which a query-time
///   synonym filter would forbid) finds a synonym with a typo in it;
/// - `<field>.cjk` by overlapping bigrams beside unigrams (cjk_bigram), so
///   a Korean word is found by a part of it without a morphological
///   analyzer (nori is a plugin the runner does not ship). Bigrams stay
///   out of the synonym field: a synonym's several tokens followed by
///   bigrams make offsets that Lucene refuses.
json analysis(const std::vector<std::string>& synonyms) {
  json index_filters = {"cjk_width", "lowercase"};
  json filters
    = {{"moim_bigrams", {{"type", "cjk_bigram"}, {"output_unigrams", true}}}};
  if (!synonyms.empty()) {
    filters["moim_synonyms"]
      = {{"type", "synonym"}, {"lenient", true}, {"synonyms", synonyms}};
    index_filters.push_back("moim_synonyms");
  }
  auto custom = [](json filter) {
    return json{{"type", "custom"},
                {"tokenizer", "standard"},
                {"filter", std::move(filter)}};
  };
  return {{"filter", filters},
          {"analyzer",
           {{"moim_index", custom(index_filters)},
            {"moim_search", custom({"cjk_width", "lowercase"})},
            {"moim_cjk", custom({"cjk_width", "lowercase", "moim_bigrams"})}}}};
}

json text_field() {
  return {{"type", "text"},
          {"analyzer", "moim_index"},
          {"search_analyzer", "moim_search"},
          {"fields", {{"cjk", {{"type", "text"}, {"analyzer", "moim_cjk"}}}}}};
}

json room_mappings() {
  return {
    {"dynamic", "strict"},
    {"properties",
     {{"id", {{"type", "keyword"}}},
      {"name", text_field()},
      {"description", text_field()},
      {"tags", {{"type", "keyword"}, {"fields", {{"text", text_field()}}}}},
      {"owner", {{"type", "keyword"}}},
      {"member_count", {{"type", "integer"}}},
      {"is_public", {{"type", "boolean"}}},
      {"direct", {{"type", "boolean"}}},
      {"closed", {{"type", "boolean"}}},
      {"created_at", {{"type", "date"}, {"format", "epoch_millis"}}}}}};
}

json message_mappings() {
  return {{"dynamic", "strict"},
          {"properties",
           {{"room", {{"type", "keyword"}}},
            {"seq", {{"type", "long"}}},
            {"author", {{"type", "keyword"}}},
            {"text", text_field()},
            {"deleted", {{"type", "boolean"}}},
            {"edited", {{"type", "boolean"}}},
            {"posted_at", {{"type", "date"}, {"format", "epoch_millis"}}}}}};
}

json offset_mappings() {
  return {{"dynamic", "strict"},
          {"properties",
           {{"projection", {{"type", "keyword"}}},
            {"topic", {{"type", "keyword"}}},
            {"partition", {{"type", "integer"}}},
            {"next_offset", {{"type", "long"}}}}}};
}

std::optional<infra::error> call(const search_layout& l,
                                 const std::string& method,
                                 const std::string& path, const json& body,
                                 std::initializer_list<int> fine) {
  auto reply
    = infra::http_call(method, l.url + path,
                       body.is_null() ? std::string{} : body.dump(), l.timeout);
  if (!reply)
    return infra::error{reply.err().code, "search: " + reply.err().message};
  for (int ok : fine)
    if (reply->status == ok)
      return std::nullopt;
  return infra::error{
    reply->status >= 500 ? infra::errc::unreachable : infra::errc::rejected,
    "search: " + method + " " + path + " answered HTTP "
      + std::to_string(reply->status) + ": " + reply->body.substr(0, 500)};
}

} // namespace

std::optional<infra::error> ensure_search_indices(const search_layout& l) {
  struct index {
    std::string alias;
    json mappings;
  };
  for (const auto& [alias, mappings] :
       {index{l.rooms(), room_mappings()},
        index{l.messages(), message_mappings()},
        index{l.offsets(), offset_mappings()}}) {
    json settings = {{"number_of_shards", 1},
                     {"number_of_replicas", 0},
                     {"refresh_interval", "1s"},
                     {"analysis", analysis(l.synonyms)}};
    json tmpl = {{"index_patterns", {alias + "-v*"}},
                 {"template", {{"settings", settings}, {"mappings", mappings}}},
                 {"priority", 100}};
    if (auto e = call(l, "PUT", "/_index_template/" + alias, tmpl, {200}))
      return e;
    // The alias exists once its first index does; 404 means neither does.
    auto have
      = infra::http_call("GET", l.url + "/_alias/" + alias, {}, l.timeout);
    if (!have)
      return infra::error{have.err().code, "search: " + have.err().message};
    if (have->status == 200)
      continue;
    json create = {{"aliases", {{alias, json::object()}}}};
    auto made = infra::http_call("PUT", l.url + "/" + alias + "-v1",
                                 create.dump(), l.timeout);
    if (!made)
      return infra::error{made.err().code, "search: " + made.err().message};
    // Another node may have made it meanwhile.
    if (made->status != 200
        && made->body.find("resource_already_exists_exception")
             == std::string::npos)
      return infra::error{infra::errc::rejected,
                          "search: creating " + alias + "-v1 answered HTTP "
                            + std::to_string(made->status) + ": "
                            + made->body.substr(0, 500)};
  }
  return std::nullopt;
}

infra::result<std::vector<std::string>> load_synonyms(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return infra::error{infra::errc::invalid, "cannot read the synonym file "
                                                + path
                                                + " (search.synonyms_file)"};
  std::vector<std::string> rules;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#')
      continue;
    rules.push_back(line.substr(first));
  }
  return rules;
}

} // namespace moim::projections
