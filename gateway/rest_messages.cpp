// Messages: post, edit, delete; history waits for the Postgres read model.
#include "gateway/rest_support.hpp"

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

  routes.add(
    "GET", "/v1/rooms/{id}/messages",
    [ctx](const http_request& req, reply_fn reply) mutable {
      if (authenticate(ctx, req, reply))
        reply(http_response::error(
          503, "read_model_unavailable",
          "message history needs the Postgres read model, which is not built "
          "yet"));
    });
}

} // namespace moim::gateway::rest
