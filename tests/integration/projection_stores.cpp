#include "tests/integration/projection_stores.hpp"

#include "infra/http/client.hpp"
#include "infra/redis/redis_client.hpp"
#include "projections/postgres/postgres_projection.hpp"
#include "projections/redis/redis_projection.hpp"
#include "projections/search/search_projection.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <functional>
#include <map>

namespace moim::test {

namespace {

using nlohmann::json;

/// Every "<ns>:room:*" hash's messages and last_seq, by room.
std::map<std::string, std::pair<std::int64_t, std::string>>
redis_rooms(const std::string& url, const std::string& ns) {
  infra::redis_client redis{url, std::chrono::seconds{5}};
  std::map<std::string, std::pair<std::int64_t, std::string>> out;
  auto keys = redis.keys_matching(ns + ":room:*");
  if (!keys)
    return out;
  for (const auto& key : *keys) {
    auto fields = redis.pipeline({{"HMGET", key, "messages", "last_seq"}});
    if (!fields || fields->front().items.size() != 2)
      continue;
    const auto& f = fields->front().items;
    out[key] = {f[0].is_nil() ? 0 : std::stoll(f[0].text), f[1].text};
  }
  return out;
}

json search_messages(const std::string& url, const std::string& ns) {
  json query = {{"size", 10000},
                {"sort", {{{"room", "asc"}}, {{"seq", "asc"}}}},
                {"query", {{"match_all", json::object()}}}};
  auto r = infra::http_call("POST", url + "/" + ns + "-messages/_search",
                            query.dump(), std::chrono::seconds{30});
  if (!r || r->status != 200)
    return nullptr;
  return json::parse(r->body)["hits"]["hits"];
}

} // namespace

std::shared_ptr<projections::projection>
projection_store::make(const std::string& ns, const std::string& topic) const {
  if (store == "postgres") {
    projections::postgres_projection_options options;
    options.url = url;
    options.schema = ns;
    options.name = ns;
    options.topics = {topic};
    return std::make_shared<projections::postgres_projection>(options);
  }
  if (store == "redis")
    return std::make_shared<projections::redis_projection>(
      projections::redis_projection_options{
        url, ns, ns + ":", std::chrono::seconds{5}, {topic}});
  projections::search_layout layout;
  layout.url = url;
  layout.prefix = ns + "-";
  return std::make_shared<projections::search_projection>(
    projections::search_projection_options{layout, ns, {topic}});
}

std::int64_t projection_store::applied(const std::string& ns) const {
  if (store == "postgres") {
    try {
      pqxx::connection conn{url};
      pqxx::read_transaction tx{conn};
      return tx
        .exec1("SELECT count(*) FROM " + conn.quote_name(ns) + ".messages")[0]
        .as<std::int64_t>();
    } catch (const std::exception&) {
      return -1; // not migrated yet
    }
  }
  if (store == "redis") {
    auto rooms = redis_rooms(url, ns);
    if (rooms.empty())
      return -1;
    std::int64_t sum = 0;
    for (const auto& [key, counts] : rooms)
      sum += counts.first;
    return sum;
  }
  // The index refreshes twice a second; the count waits for nothing.
  static_cast<void>(infra::http_call("POST",
                                     url + "/" + ns + "-messages/_refresh", {},
                                     std::chrono::seconds{10}));
  auto r = infra::http_call("GET", url + "/" + ns + "-messages/_count", {},
                            std::chrono::seconds{10});
  if (!r || r->status != 200)
    return -1;
  return json::parse(r->body).value("count", std::int64_t{-1});
}

std::string projection_store::digest(const std::string& ns) const {
  std::string all;
  if (store == "postgres") {
    pqxx::connection conn{url};
    pqxx::read_transaction tx{conn};
    auto s = conn.quote_name(ns);
    all = tx.exec1("SELECT coalesce(sum(messages), 0) FROM " + s
                   + ".room_messages_per_minute")[0]
            .as<std::string>();
    for (const auto& row :
         tx.exec("SELECT room || ':' || seq || ':' || author || ':' || body "
                 "FROM "
                 + s + ".messages ORDER BY room, seq"))
      all += "," + row[0].as<std::string>();
    // The room events' frames (WebSocket recovery): each once, the same.
    for (const auto& row :
         tx.exec("SELECT room || ':' || seq || ':' || md5(frame) FROM " + s
                 + ".room_events ORDER BY room, seq"))
      all += ";" + row[0].as<std::string>();
  } else if (store == "redis") {
    for (const auto& [key, counts] : redis_rooms(url, ns))
      all += key.substr(ns.size()) + "=" + std::to_string(counts.first) + "/"
             + counts.second + ",";
  } else {
    auto hits = search_messages(url, ns);
    if (hits.is_null())
      return "unreadable";
    for (const auto& h : hits) {
      const auto& s = h["_source"];
      all += s.value("room", "") + ":" + std::to_string(s.value("seq", 0)) + ":"
             + s.value("author", "") + ":" + s.value("text", "") + ",";
    }
  }
  return std::to_string(all.size()) + "/"
         + std::to_string(std::hash<std::string>{}(all));
}

void projection_store::drop(const std::string& ns) const {
  if (store == "postgres") {
    pqxx::connection conn{url};
    pqxx::nontransaction tx{conn};
    tx.exec("DROP SCHEMA IF EXISTS " + conn.quote_name(ns) + " CASCADE");
  } else if (store == "search") {
    static_cast<void>(infra::http_call("DELETE", url + "/" + ns + "-*", {},
                                       std::chrono::seconds{10}));
  } // Redis: the stack's server is in memory; the keys are a test's own
}

} // namespace moim::test
