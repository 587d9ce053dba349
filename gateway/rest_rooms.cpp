// Rooms: create, read, update, join, leave, kick, ban, close, members,
// who is online.
#include "gateway/rest_support.hpp"

#include "projections/redis/redis_read_model.hpp"

namespace moim::gateway::rest {

using namespace moim::actors;

namespace {

/// The room settings in `doc`, each absent one taken from `current`.
std::optional<update_room> settings_of(const json& doc, const json& current,
                                       const std::string& me,
                                       const reply_fn& reply) {
  auto keep = [&current](const char* key) {
    return current.value(key, std::string{});
  };
  auto name = text_field(doc, "name", reply, false);
  auto description
    = name ? text_field(doc, "description", reply, false) : std::nullopt;
  auto tags
    = description ? texts_field(
        doc, "tags",
        current.value("tags", json::array()).get<std::vector<std::string>>(),
        reply)
                  : std::nullopt;
  auto limit
    = tags
        ? count_field(doc, "member_limit",
                      current.value("member_limit", std::uint32_t{100}), reply)
        : std::nullopt;
  auto is_public = limit ? flag_field(doc, "is_public",
                                      current.value("is_public", true), reply)
                         : std::nullopt;
  if (!is_public)
    return std::nullopt;
  return update_room{events::user_id{me},
                     doc.contains("name") ? *name : keep("name"),
                     doc.contains("description") ? *description
                                                 : keep("description"),
                     *tags,
                     *limit,
                     *is_public};
}

void add_create_and_read(infra::router& routes, const rest_context& ctx) {
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
      auto tags = limit ? texts_field(*doc, "tags", {}, reply) : std::nullopt;
      auto is_public
        = tags ? flag_field(*doc, "is_public", true, reply) : std::nullopt;
      if (!is_public)
        return;
      auto room = "r-" + events::new_event_id().value();
      command(
        ctx,
        to_room(room, create_room{events::user_id{*me}, *name, *description,
                                  *tags, *limit, *is_public}),
        201, reply, [room](const command_result&) {
          return json{{"room", room}};
        });
    });

  routes.add("GET", "/v1/rooms/{id}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               auto room = req.param("id");
               with_visible_room(ctx, room, *me, reply,
                                 [reply, room](json& st, std::uint64_t seq) {
                                   st["room"] = room;
                                   st["seq"] = seq;
                                   reply(http_response::json(200, st));
                                 });
             });

  routes.add("GET", "/v1/rooms/{id}/members",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               with_visible_room(
                 ctx, req.param("id"), *me, reply,
                 [reply](json& st, std::uint64_t seq) {
                   reply(http_response::json(200, {{"owner", st["owner"]},
                                                   {"members", st["members"]},
                                                   {"seq", seq}}));
                 });
             });
}

void add_owner_routes(infra::router& routes, const rest_context& ctx) {
  // Only the owner: the room aggregate rejects anybody else (403).
  routes.add("PATCH", "/v1/rooms/{id}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               auto doc = me ? body_of(req, reply) : std::nullopt;
               if (!doc)
                 return;
               auto room = req.param("id");
               with_room(ctx, room, reply,
                         [ctx, reply, room, me = *me,
                          doc = *doc](room_view& view) mutable {
                           json st = view;
                           if (auto update = settings_of(doc, st, me, reply))
                             command(ctx, to_room(room, std::move(*update)),
                                     200, reply, no_view);
                         });
             });

  for (const char* action : {"kick", "ban"}) {
    bool ban = std::string{action} == "ban";
    routes.add(
      "POST", std::string{"/v1/rooms/{id}/"} + action,
      [ctx, ban](const http_request& req, reply_fn reply) mutable {
        auto me = authenticate(ctx, req, reply);
        auto doc = me ? body_of(req, reply) : std::nullopt;
        auto member = doc ? text_field(*doc, "user", reply) : std::nullopt;
        auto reason
          = member ? text_field(*doc, "reason", reply, false) : std::nullopt;
        if (!reason)
          return;
        events::user_id by{*me};
        events::user_id who{*member};
        room_command c = ban ? room_command{ban_member{by, who, *reason}}
                             : room_command{kick_member{by, who, *reason}};
        command(ctx, to_room(req.param("id"), std::move(c)), 200, reply,
                no_view);
      });
  }

  add_self_command(routes, ctx, "POST", "/v1/rooms/{id}/close",
                   [](const std::string& id, events::user_id me) {
                     return to_room(id, close_room{std::move(me)});
                   });
}

/// Who is online in the room, on every node (Redis); for those who may
/// read the room.
void add_presence_route(infra::router& routes, const rest_context& ctx) {
  routes.add(
    "GET", "/v1/rooms/{id}/presence",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      auto room = req.param("id");
      with_visible_room(
        ctx, room, *me, reply, [ctx, reply, room, req](json&, std::uint64_t) {
          read_model_query<projections::redis_read_model>(
            ctx, req, reply, redis_of(ctx),
            [room](
              projections::redis_read_model& reads) -> infra::result<json> {
              auto online = reads.online(room);
              if (!online)
                return online.err();
              return json{{"room", room}, {"online", *online}};
            });
        });
    });
}

} // namespace

void add_room_routes(infra::router& routes, const rest_context& ctx) {
  add_create_and_read(routes, ctx);
  add_presence_route(routes, ctx);
  add_owner_routes(routes, ctx);
  add_self_command(routes, ctx, "POST", "/v1/rooms/{id}/join",
                   [](const std::string& id, events::user_id me) {
                     return to_room(id, join_room{std::move(me)});
                   });
  add_self_command(routes, ctx, "POST", "/v1/rooms/{id}/leave",
                   [](const std::string& id, events::user_id me) {
                     return to_room(id, leave_room{std::move(me)});
                   });
}

} // namespace moim::gateway::rest
