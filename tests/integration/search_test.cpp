// OpenSearch with analysis-common: a synonym filter applied at index and
// search time, over HTTP through Boost.Beast.

#include "infra/http/client.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::test;
using moim::infra::http_call;
using nlohmann::json;

namespace {

json call(const std::string& method, const std::string& url,
          const json& body = nullptr, int expected = 200) {
  auto reply = http_call(method, url, body.is_null() ? "" : body.dump());
  INFO(method << " " << url);
  REQUIRE(reply);
  INFO(reply->body);
  REQUIRE(reply->status == expected);
  return json::parse(reply->body);
}

int hits(const std::string& index_url, const std::string& text) {
  auto result = call("POST", index_url + "/_search",
                     {{"query", {{"match", {{"name", text}}}}}});
  return result["hits"]["total"]["value"].get<int>();
}

} // namespace

TEST_CASE("search: a synonym analyzer finds a document by a synonym") {
  auto base = stack_env("MOIM_SEARCH_URL");
  auto index = base + "/" + unique_name("moim-it-rooms");
  call("PUT", index,
       {{"settings",
         {{"number_of_shards", 1},
          {"number_of_replicas", 0},
          {"analysis",
           {{"filter",
             {{"moim_synonyms",
               {{"type", "synonym"},
                {"synonyms", {"meetup, gathering, moim", "hike, trek"}}}}}},
            {"analyzer",
             {{"moim_text",
               {{"tokenizer", "standard"},
                {"filter", {"lowercase", "moim_synonyms"}}}}}}}}}},
        {"mappings",
         {{"dynamic", "strict"},
          {"properties",
           {{"name", {{"type", "text"}, {"analyzer", "moim_text"}}}}}}}});
  call("PUT", index + "/_doc/1?refresh=true",
       {{"name", "Weekend trek gathering"}}, 201);

  CHECK(hits(index, "meetup") == 1); // a synonym of "gathering"
  CHECK(hits(index, "hike") == 1);   // a synonym of "trek"
  CHECK(hits(index, "karaoke") == 0);

  // Explicit, strict mappings: an unknown field is refused, not mapped.
  auto reply
    = http_call("PUT", index + "/_doc/2", json{{"surprise", 1}}.dump());
  REQUIRE(reply);
  CHECK(reply->status == 400);
  call("DELETE", index);
}
