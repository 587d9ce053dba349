// Users: sign-up, me, profiles, friends.
#include "gateway/rest_support.hpp"

#include "actors/domain/user_aggregate.hpp"
#include "infra/auth/password.hpp"
#include "projections/redis/redis_read_model.hpp"

namespace moim::gateway::rest {

using namespace moim::actors;

namespace {

/// What anybody signed in may see of a user.
json public_profile(const user_profile& p) {
  return {{"user", p.id.value()},
          {"username", p.username},
          {"display_name", p.display_name},
          {"image_url", p.image_url},
          {"deactivated", p.deactivated}};
}

void add_signup(infra::router& routes, const rest_context& ctx) {
  routes.add(
    "POST", "/v1/users",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto doc = body_of(req, reply);
      if (!doc)
        return;
      auto credentials = credentials_of(*doc, reply);
      auto display
        = credentials ? text_field(*doc, "display_name", reply) : std::nullopt;
      auto image
        = display ? text_field(*doc, "image_url", reply, false) : std::nullopt;
      if (!image)
        return;
      const auto& [username, password] = *credentials;
      if (password.size() < 8 || password.size() > 128) {
        reply(http_response::error(400, "invalid",
                                   "password must be 8 to 128 bytes"));
        return;
      }
      ctx.offload([ctx, reply, username = username, password = password,
                   display = *display, image = *image]() mutable {
        auto hash = infra::hash_password(password);
        if (!hash) {
          reply(http_response::error(503, "unavailable", hash.err().message));
          return;
        }
        auto id = user_id_for_username(username).value();
        command(ctx,
                to_user(id, register_user{username, display, image, *hash}),
                201, reply, [id, username](const command_result&) {
                  return json{{"user", id}, {"username", username}};
                });
      });
    });
}

void add_me(infra::router& routes, const rest_context& ctx) {
  routes.add("GET", "/v1/users/me",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               with_profile(ctx, *me, reply, [reply](user_profile& p) {
                 json body = p;
                 body["user"] = p.id.value();
                 reply(http_response::json(200, body));
               });
             });

  // Changes what is given, keeps the rest.
  routes.add(
    "PATCH", "/v1/users/me",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      auto doc = me ? body_of(req, reply) : std::nullopt;
      if (!doc)
        return;
      with_profile(
        ctx, *me, reply,
        [ctx, reply, me = *me, doc = *doc](user_profile& p) mutable {
          auto display = text_field(doc, "display_name", reply, false);
          auto image = display ? text_field(doc, "image_url", reply, false)
                               : std::nullopt;
          if (!image)
            return;
          change_profile change{
            doc.contains("display_name") ? *display : p.display_name,
            doc.contains("image_url") ? *image : p.image_url};
          command(ctx, to_user(me, std::move(change)), 200, reply, no_view);
        });
    });
}

void add_friends(infra::router& routes, const rest_context& ctx) {
  routes.add("GET", "/v1/users/me/friends",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               with_profile(ctx, *me, reply, [reply](user_profile& p) {
                 reply(http_response::json(200, {{"friends", p.friends}}));
               });
             });

  // The rooms I belong to, most recently joined first (the Redis read
  // model).
  routes.add("GET", "/v1/users/me/rooms",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               read_model_query<projections::redis_read_model>(
                 ctx, req, reply, redis_of(ctx),
                 [me = *me](projections::redis_read_model& reads)
                   -> infra::result<json> {
                   auto rows = reads.rooms_of(me, 500);
                   if (!rows)
                     return rows.err();
                   json rooms = json::array();
                   for (const auto& r : *rows)
                     rooms.push_back({{"room", r.id},
                                      {"name", r.name},
                                      {"is_public", r.is_public},
                                      {"direct", r.direct},
                                      {"member_count", r.member_count},
                                      {"last_message", r.last_message},
                                      {"joined_at_ms", r.joined_at_ms}});
                   return json{{"rooms", rooms}};
                 });
             });

  // The friend must exist; adding is one-sided (like following).
  routes.add("PUT", "/v1/users/me/friends/{id}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               auto other = req.param("id");
               with_profile(
                 ctx, other, reply,
                 [ctx, reply, me = *me, other](user_profile&) mutable {
                   command(ctx, to_user(me, add_friend{events::user_id{other}}),
                           200, reply, no_view);
                 });
             });

  routes.add(
    "DELETE", "/v1/users/me/friends/{id}",
    [ctx](const http_request& req, reply_fn reply) mutable {
      if (auto me = authenticate(ctx, req, reply))
        command(ctx,
                to_user(*me, remove_friend{events::user_id{req.param("id")}}),
                200, reply, no_view);
    });
}

void add_profiles(infra::router& routes, const rest_context& ctx) {
  routes.add("GET", "/v1/users/{id}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               if (!authenticate(ctx, req, reply))
                 return;
               auto user = req.param("id");
               with_profile(ctx, user, reply, [reply](user_profile& p) {
                 reply(http_response::json(200, public_profile(p)));
               });
             });
}

} // namespace

void add_user_routes(infra::router& routes, const rest_context& ctx) {
  add_signup(routes, ctx);
  add_me(routes, ctx); // before /v1/users/{id}, which would match "me"
  add_friends(routes, ctx);
  add_profiles(routes, ctx);
}

} // namespace moim::gateway::rest
