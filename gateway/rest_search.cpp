// Search: rooms (public ones) and a room's messages, from the search read
// model.
#include "gateway/rest_support.hpp"

#include "projections/redis/redis_read_model.hpp"
#include "projections/search/search_read_model.hpp"

namespace moim::gateway::rest {

namespace {

/// "a,b,c" -> {"a", "b", "c"}, empty parts dropped.
std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto part = text.substr(
      start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty())
      out.push_back(part);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

/// ?q= (decoded), ?limit= (1..50, 20); false after answering 400.
bool search_params(const http_request& req, std::string& text,
                   std::size_t& limit, const reply_fn& reply) {
  text = infra::url_decode(req.query_param("q").value_or(""));
  if (text.size() > 200) {
    reply(http_response::error(400, "invalid", "q is at most 200 bytes"));
    return false;
  }
  std::optional<std::uint64_t> n;
  if (!number_param(req, "limit", 50, n, reply))
    return false;
  if (n && *n == 0) {
    reply(http_response::error(400, "invalid", "limit must be 1 to 50"));
    return false;
  }
  limit = n.value_or(20);
  return true;
}

/// Records an answered search for trending terms and the user's recent
/// searches (an event of the user; the answer does not wait for it).
void record(const rest_context& ctx, const std::string& me,
            const std::string& text) {
  if (text.empty() || text.size() > 100)
    return;
  ctx.bridge.send(to_user(me, record_search{text}), [](command_reply) {
    // best effort: a search answers whether or not it was counted
  });
}

} // namespace

void add_search_routes(infra::router& routes, const rest_context& ctx) {
  // ?q= text (fuzzy; synonyms), ?tags=a,b (all of them), ?limit=.
  routes.add(
    "GET", "/v1/search/rooms",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      projections::room_search q;
      if (!search_params(req, q.text, q.limit, reply))
        return;
      q.tags
        = split_tags(infra::url_decode(req.query_param("tags").value_or("")));
      if (q.text.empty() && q.tags.empty()) {
        reply(http_response::error(400, "invalid", "give q or tags (or both)"));
        return;
      }
      read_model_query<projections::search_read_model>(
        ctx, req, reply, search_of(ctx),
        [ctx, q, me = *me](
          projections::search_read_model& search) -> infra::result<json> {
          auto hits = search.rooms(q);
          if (!hits)
            return hits.err();
          record(ctx, me, q.text); // a search that was answered
          json rooms = json::array();
          for (const auto& h : *hits)
            rooms.push_back({{"room", h.id},
                             {"name", h.name},
                             {"description", h.description},
                             {"tags", h.tags},
                             {"member_count", h.member_count},
                             {"score", h.score}});
          return json{{"rooms", rooms}};
        });
    });

  // A room's messages matching ?q=; members only for a private room.
  routes.add(
    "GET", "/v1/rooms/{id}/messages/search",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      std::string text;
      std::size_t limit = 0;
      if (!search_params(req, text, limit, reply))
        return;
      if (text.empty()) {
        reply(http_response::error(400, "invalid", "q is required"));
        return;
      }
      auto room = req.param("id");
      with_visible_room(
        ctx, room, *me, reply,
        [ctx, reply, req, room, text, limit, me = *me](json&, std::uint64_t) {
          read_model_query<projections::search_read_model>(
            ctx, req, reply, search_of(ctx),
            [ctx, room, text, limit, me](
              projections::search_read_model& search) -> infra::result<json> {
              auto hits = search.messages(room, text, limit);
              if (!hits)
                return hits.err();
              record(ctx, me, text); // a search that was answered
              json messages = json::array();
              for (const auto& h : *hits)
                messages.push_back({{"seq", h.seq},
                                    {"author", h.author},
                                    {"text", h.text},
                                    {"posted_at_ms", h.posted_at_ms},
                                    {"score", h.score}});
              return json{{"room", room}, {"messages", messages}};
            });
        });
    });

  // The most searched terms of the last hour (?limit= 1..50, 10).
  routes.add("GET", "/v1/search/trending",
             [ctx](const http_request& req, reply_fn reply) mutable {
               if (!authenticate(ctx, req, reply))
                 return;
               std::optional<std::uint64_t> limit;
               if (!number_param(req, "limit", 50, limit, reply))
                 return;
               read_model_query<projections::redis_read_model>(
                 ctx, req, reply, redis_of(ctx),
                 [n = limit.value_or(10)](projections::redis_read_model& redis)
                   -> infra::result<json> {
                   auto terms = redis.trending(n);
                   if (!terms)
                     return terms.err();
                   json out = json::array();
                   for (const auto& [term, count] : *terms)
                     out.push_back({{"term", term}, {"searches", count}});
                   return json{{"terms", out}};
                 });
             });

  // My last searches, newest first.
  routes.add("GET", "/v1/users/me/searches",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               read_model_query<projections::redis_read_model>(
                 ctx, req, reply, redis_of(ctx),
                 [me = *me](projections::redis_read_model& redis)
                   -> infra::result<json> {
                   auto recent = redis.recent_searches(me);
                   if (!recent)
                     return recent.err();
                   return json{{"searches", *recent}};
                 });
             });
}

} // namespace moim::gateway::rest
