// Messages: post, edit, delete; history waits for the Postgres read model.
#include "gateway/rest_support.hpp"

#include "projections/postgres/read_model.hpp"

#include <charconv>
#include <limits>

namespace moim::gateway::rest {

using namespace moim::actors;

void add_message_routes(infra::router& routes, const rest_context& ctx) {
  routes.add(
    "POST", "/v1/rooms/{id}/messages",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      auto doc = me ? body_of(req, reply) : std::nullopt;
      if (!doc)
        return;
      auto text = text_field(*doc, "text", reply);
      auto client_id = text
                         ? text_field(*doc, "client_message_id", reply, false)
                         : std::nullopt;
      if (!client_id)
        return;
      // The client's message id makes a re-sent message idempotent.
      auto key = client_id->empty() ? std::string{} : *me + ":" + *client_id;
      command(ctx,
              to_room(req.param("id"),
                      post_message{events::user_id{*me}, *text, *client_id},
                      key),
              201, reply, [](const command_result& r) {
                auto& posted
                  = std::get<events::room_message_posted>(r.events.front());
                return json{{"message", posted.message.value()}};
              });
    });

  // Only the author edits; the author or the room's owner deletes.
  routes.add("PATCH", "/v1/rooms/{id}/messages/{seq}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               auto seq = me ? seq_param(req, reply) : std::nullopt;
               auto doc = seq ? body_of(req, reply) : std::nullopt;
               auto text = doc ? text_field(*doc, "text", reply) : std::nullopt;
               if (!text)
                 return;
               command(ctx,
                       to_room(req.param("id"),
                               edit_message{events::user_id{*me},
                                            events::message_seq{*seq}, *text}),
                       200, reply, no_view);
             });

  routes.add("DELETE", "/v1/rooms/{id}/messages/{seq}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               auto seq = me ? seq_param(req, reply) : std::nullopt;
               if (!seq)
                 return;
               command(ctx,
                       to_room(req.param("id"),
                               delete_message{events::user_id{*me},
                                              events::message_seq{*seq}}),
                       200, reply, no_view);
             });

  // History, from the Postgres read model: ?before=<seq> (newest first,
  // the default) or ?after=<seq> (oldest first), ?limit= (1..200, 50).
  // Members see every room's, others only a public room's.
  routes.add(
    "GET", "/v1/rooms/{id}/messages",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      projections::history_page page;
      page.room = req.param("id");
      constexpr auto most = std::numeric_limits<std::int64_t>::max();
      std::optional<std::uint64_t> limit;
      if (!number_param(req, "before", most, page.before, reply)
          || !number_param(req, "after", most, page.after, reply)
          || !number_param(req, "limit", 200, limit, reply))
        return;
      if (page.before && page.after) {
        reply(http_response::error(400, "invalid",
                                   "give before or after, not both"));
        return;
      }
      if (limit && *limit == 0) {
        reply(http_response::error(400, "invalid", "limit must be 1 to 200"));
        return;
      }
      page.limit = limit.value_or(50);
      with_visible_room(
        ctx, page.room, *me, reply,
        [ctx, reply, page, req](json&, std::uint64_t) {
          read_model_query<projections::postgres_read_model>(
            ctx, req, reply, postgres_of(ctx),
            [page](
              projections::postgres_read_model& reads) -> infra::result<json> {
              auto rows = reads.history(page);
              if (!rows)
                return rows.err();
              json messages = json::array();
              for (const auto& m : *rows)
                messages.push_back({{"seq", m.seq},
                                    {"author", m.author},
                                    {"text", m.text},
                                    {"client_message_id", m.client_message_id},
                                    {"posted_at_ms", m.posted_at_ms},
                                    {"edited_at_ms", m.edited_at_ms},
                                    {"deleted", m.deleted}});
              return json{{"room", page.room}, {"messages", messages}};
            });
        });
    });
}

} // namespace moim::gateway::rest
