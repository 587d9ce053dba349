#include "actors/gateway/rest_api.hpp"

#include "actors/gateway/room_view.hpp"

#include "actors/domain/user_aggregate.hpp"
#include "infra/auth/password.hpp"

#include <nlohmann/json.hpp>

namespace moim::actors {

namespace {

using infra::http_request;
using infra::http_response;
using infra::reply_fn;
using nlohmann::json;

int status_of(rejection_code code) {
  switch (code) {
    case rejection_code::not_found: return 404;
    case rejection_code::invalid: return 400;
    case rejection_code::not_member:
    case rejection_code::not_owner:
    case rejection_code::banned: return 403;
    case rejection_code::not_owner_node:
    case rejection_code::unavailable: return 503;
    default: return 409; // conflicts with the aggregate's state
  }
}

http_response rejected(const rejection& r) {
  return http_response::error(status_of(r.code), to_string(r.code), r.reason);
}

/// The JSON object in the body, or a 400 already sent.
std::optional<json> body_of(const http_request& req, const reply_fn& reply) {
  auto doc = json::parse(req.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    reply(
      http_response::error(400, "bad_json", "the body must be a JSON object"));
    return std::nullopt;
  }
  return doc;
}

/// A string field; `required` ones must be present. Sends 400 on a problem.
std::optional<std::string> text_field(const json& doc, const char* name,
                                      const reply_fn& reply,
                                      bool required = true) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) {
    if (!required)
      return std::string{};
    reply(http_response::error(400, "missing_field",
                               std::string{"'"} + name + "' is required"));
    return std::nullopt;
  }
  if (!it->is_string()) {
    reply(http_response::error(400, "wrong_type",
                               std::string{"'"} + name + "' must be a string"));
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::uint32_t> count_field(const json& doc, const char* name,
                                         std::uint32_t fallback,
                                         const reply_fn& reply) {
  auto it = doc.find(name);
  if (it == doc.end())
    return fallback;
  if (!it->is_number_unsigned()) {
    reply(http_response::error(400, "wrong_type",
                               std::string{"'"} + name
                                 + "' must be a non-negative integer"));
    return std::nullopt;
  }
  return it->get<std::uint32_t>();
}

/// The user of a valid access token, or a 401 already sent.
std::optional<std::string> authenticate(const rest_context& ctx,
                                        const http_request& req,
                                        const reply_fn& reply) {
  auto header = req.header("authorization");
  const std::string scheme = "Bearer ";
  if (!header || header->rfind(scheme, 0) != 0) {
    reply(http_response::error(401, "unauthenticated",
                               "send Authorization: Bearer <access token>"));
    return std::nullopt;
  }
  auto claims = ctx.tokens.verify(header->substr(scheme.size()));
  if (!claims) {
    reply(http_response::error(401, "unauthenticated", claims.err().message));
    return std::nullopt;
  }
  return claims->subject;
}

json events_json(const command_result& r) {
  json out = json::array();
  for (const auto& e : r.events) {
    json payload;
    std::visit(
      [&payload](const auto& x) {
        payload = x;
      },
      e);
    payload.erase("password_hash"); // never leaves the server
    out.push_back({{"type", events::type_of(e)}, {"payload", payload}});
  }
  return out;
}

/// Sends a command; answers `status` with the result, or the rejection.
void command(rest_context& ctx, command_envelope cmd, int status,
             reply_fn reply, std::function<json(const command_result&)> view) {
  ctx.bridge.send(std::move(cmd), [reply, status, view](command_reply r) {
    if (!r) {
      reply(rejected(r.err()));
      return;
    }
    auto body = view(*r);
    body["seq"] = r->last_seq;
    body["events"] = events_json(*r);
    if (r->duplicate)
      body["duplicate"] = true;
    reply(http_response::json(status, body));
  });
}

command_envelope to_room(const std::string& room, room_command c,
                         std::string key = {}) {
  return {
    events::aggregate_kind::room, room, std::move(c), std::move(key), {}, {}};
}

command_envelope to_schedule(const std::string& id, schedule_command c) {
  return {events::aggregate_kind::schedule, id, std::move(c), {}, {}, {}};
}

/// A route whose command needs only the path's {id} and the caller, and
/// whose answer is the command's sequence and events.
void add_self_command(
  infra::router& routes, rest_context ctx, const char* method, const char* path,
  std::function<command_envelope(const std::string&, events::user_id)> make) {
  routes.add(method, path,
             [ctx, make](const http_request& req, reply_fn reply) mutable {
               if (auto me = authenticate(ctx, req, reply))
                 command(ctx, make(req.param("id"), events::user_id{*me}), 200,
                         reply, [](const command_result&) {
                           return json::object();
                         });
             });
}

void add_user_routes(infra::router& routes, rest_context ctx) {
  routes.add(
    "POST", "/v1/users",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto doc = body_of(req, reply);
      if (!doc)
        return;
      auto username = text_field(*doc, "username", reply);
      auto password
        = username ? text_field(*doc, "password", reply) : std::nullopt;
      auto display
        = password ? text_field(*doc, "display_name", reply) : std::nullopt;
      auto image
        = display ? text_field(*doc, "image_url", reply, false) : std::nullopt;
      if (!image)
        return;
      if (password->size() < 8 || password->size() > 128) {
        reply(http_response::error(400, "invalid",
                                   "password must be 8 to 128 bytes"));
        return;
      }
      ctx.offload([ctx, reply, username = *username, password = *password,
                   display = *display, image = *image]() mutable {
        auto hash = infra::hash_password(password);
        if (!hash) {
          reply(http_response::error(503, "unavailable", hash.err().message));
          return;
        }
        auto id = user_id_for_username(username).value();
        command(ctx,
                {events::aggregate_kind::user,
                 id,
                 user_command{register_user{username, display, image, *hash}},
                 {},
                 {},
                 {}},
                201, reply, [id, username](const command_result&) {
                  return json{{"user", id}, {"username", username}};
                });
      });
    });

  routes.add("GET", "/v1/users/me",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               ctx.bridge.read(
                 events::aggregate_kind::user, *me,
                 [reply, me = *me](events::expected<std::string, rejection> s) {
                   if (!s) {
                     reply(rejected(s.err()));
                     return;
                   }
                   auto doc = json::parse(*s);
                   auto st = doc["state"];
                   if (st.is_null() || !st.value("exists", false)) {
                     reply(
                       http_response::error(404, "not_found", "no such user"));
                     return;
                   }
                   st.erase("password_hash"); // never leaves the server
                   st["user"] = me;
                   reply(http_response::json(200, st));
                 });
             });
}

/// Answers with a new access token and `refresh` (a new session when
/// empty).
void issue_pair(rest_context& ctx, const std::string& user,
                const reply_fn& reply, std::string refresh = {}) {
  auto access = ctx.tokens.issue(user);
  if (!access) {
    reply(http_response::error(503, "unavailable", access.err().message));
    return;
  }
  reply(http_response::json(
    200, {{"access_token", *access},
          {"token_type", "Bearer"},
          {"expires_in", ctx.tokens.lifetime().count()},
          {"refresh_token",
           refresh.empty() ? ctx.sessions.open(user) : std::move(refresh)},
          {"user", user}}));
}

void add_session_routes(infra::router& routes, rest_context ctx) {
  routes.add(
    "POST", "/v1/sessions",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto doc = body_of(req, reply);
      if (!doc)
        return;
      auto username = text_field(*doc, "username", reply);
      auto password
        = username ? text_field(*doc, "password", reply) : std::nullopt;
      if (!password)
        return;
      auto id = user_id_for_username(*username).value();
      ctx.bridge.read(
        events::aggregate_kind::user, id,
        [ctx, reply, id, password = *password](
          events::expected<std::string, rejection> s) mutable {
          if (!s) {
            reply(rejected(s.err()));
            return;
          }
          auto st = json::parse(*s)["state"];
          std::string hash
            = st.is_object() ? st.value("password_hash", "") : "";
          bool active = st.is_object() && !st.value("deactivated", false);
          ctx.offload([ctx, reply, id, hash, active, password]() mutable {
            // The same answer for an unknown user and a wrong password.
            if (!active || !infra::verify_password(hash, password)) {
              reply(http_response::error(401, "bad_credentials",
                                         "wrong username or password"));
              return;
            }
            issue_pair(ctx, id, reply);
          });
        });
    });

  routes.add(
    "POST", "/v1/sessions/refresh",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto doc = body_of(req, reply);
      if (!doc)
        return;
      auto token = text_field(*doc, "refresh_token", reply);
      if (!token)
        return;
      auto rotated = ctx.sessions.rotate(*token);
      if (!rotated) {
        reply(http_response::error(401, "bad_refresh_token",
                                   "the refresh token is unknown, used or "
                                   "expired; log in again"));
        return;
      }
      issue_pair(ctx, rotated->first, reply, std::move(rotated->second));
    });

  routes.add("DELETE", "/v1/sessions",
             [ctx](const http_request& req, reply_fn reply) mutable {
               if (!authenticate(ctx, req, reply))
                 return;
               auto doc = body_of(req, reply);
               if (!doc)
                 return;
               auto token = text_field(*doc, "refresh_token", reply);
               if (!token)
                 return;
               ctx.sessions.revoke(*token);
               reply(http_response::json(200, {{"status", "logged out"}}));
             });
}

void add_room_routes(infra::router& routes, rest_context ctx) {
  routes.add(
    "POST", "/v1/rooms",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      auto doc = me ? body_of(req, reply) : std::nullopt;
      if (!doc)
        return;
      auto name = text_field(*doc, "name", reply);
      auto description
        = name ? text_field(*doc, "description", reply, false) : std::nullopt;
      auto limit = description ? count_field(*doc, "member_limit", 100, reply)
                               : std::nullopt;
      if (!limit)
        return;
      std::vector<std::string> tags;
      if (auto t = doc->find("tags"); t != doc->end()) {
        if (!t->is_array()) {
          reply(http_response::error(400, "wrong_type",
                                     "'tags' must be an array of strings"));
          return;
        }
        for (const auto& tag : *t) {
          if (!tag.is_string()) {
            reply(http_response::error(400, "wrong_type",
                                       "'tags' must be an array of strings"));
            return;
          }
          tags.push_back(tag.get<std::string>());
        }
      }
      bool is_public = doc->value("is_public", true);
      auto room = "r-" + events::new_event_id().value();
      command(ctx,
              to_room(room, create_room{events::user_id{*me}, *name,
                                        *description, tags, *limit, is_public}),
              201, reply, [room](const command_result&) {
                return json{{"room", room}};
              });
    });

  routes.add(
    "GET", "/v1/rooms/{id}",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      auto room = req.param("id");
      ctx.bridge.read(
        events::aggregate_kind::room, room,
        [reply, room, me = *me](events::expected<std::string, rejection> s) {
          if (!s) {
            reply(rejected(s.err()));
            return;
          }
          auto doc = json::parse(*s);
          auto st = doc["state"];
          if (st.is_null() || !st.value("exists", false)) {
            reply(http_response::error(404, "not_found", "no such room"));
            return;
          }
          bool member = has_member(st, me);
          if (!member && !st.value("is_public", true)) {
            reply(http_response::error(403, "not_member",
                                       "only members see a private room"));
            return;
          }
          st.erase("authors");
          st["room"] = room;
          st["seq"] = doc["seq"];
          reply(http_response::json(200, st));
        });
    });

  add_self_command(routes, ctx, "POST", "/v1/rooms/{id}/join",
                   [](const std::string& id, events::user_id me) {
                     return to_room(id, join_room{std::move(me)});
                   });
  add_self_command(routes, ctx, "POST", "/v1/rooms/{id}/leave",
                   [](const std::string& id, events::user_id me) {
                     return to_room(id, leave_room{std::move(me)});
                   });

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

void add_schedule_routes(infra::router& routes, rest_context ctx) {
  routes.add(
    "POST", "/v1/rooms/{id}/schedules",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      auto doc = me ? body_of(req, reply) : std::nullopt;
      if (!doc)
        return;
      auto title = text_field(*doc, "title", reply);
      auto starts = title ? text_field(*doc, "starts_at", reply) : std::nullopt;
      auto place
        = starts ? text_field(*doc, "place", reply, false) : std::nullopt;
      auto capacity
        = place ? count_field(*doc, "capacity", 0, reply) : std::nullopt;
      if (!capacity)
        return;
      auto room = req.param("id");
      // Members only: the room says whether the caller is one.
      ctx.bridge.read(
        events::aggregate_kind::room, room,
        [ctx, reply, room, me = *me, title = *title, starts = *starts,
         place = *place, capacity = *capacity](
          events::expected<std::string, rejection> s) mutable {
          if (!s) {
            reply(rejected(s.err()));
            return;
          }
          auto st = json::parse(*s)["state"];
          bool member = has_member(st, me);
          if (!member) {
            reply(http_response::error(403, "not_member",
                                       "only members create schedules"));
            return;
          }
          auto id = "s-" + events::new_event_id().value();
          command(ctx,
                  to_schedule(id, create_schedule{events::room_id{room},
                                                  events::user_id{me}, title,
                                                  starts, place, capacity}),
                  201, reply, [id](const command_result&) {
                    return json{{"schedule", id}};
                  });
        });
    });

  routes.add(
    "POST", "/v1/schedules/{id}/seats",
    [ctx](const http_request& req, reply_fn reply) mutable {
      if (auto me = authenticate(ctx, req, reply))
        command(
          ctx, to_schedule(req.param("id"), take_seat{events::user_id{*me}}),
          200, reply, [](const command_result& r) {
            bool seated = std::holds_alternative<events::schedule_seat_taken>(
              r.events.front());
            return json{{"seated", seated}};
          });
    });

  add_self_command(routes, ctx, "DELETE", "/v1/schedules/{id}/seats",
                   [](const std::string& id, events::user_id me) {
                     return to_schedule(id, release_seat{std::move(me)});
                   });
}

} // namespace

void add_rest_routes(infra::router& routes, rest_context ctx) {
  add_user_routes(routes, ctx);
  add_session_routes(routes, ctx);
  add_room_routes(routes, ctx);
  add_schedule_routes(routes, ctx);
}

} // namespace moim::actors
