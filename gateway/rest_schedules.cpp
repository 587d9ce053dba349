// Schedules: create, read, take or release a seat, close. Only members of
// the schedule's room create, read and take seats: the gateway checks the
// room, since the schedule aggregate does not hold the room's members.
#include "gateway/rest_support.hpp"

namespace moim::gateway::rest {

using namespace moim::actors;

namespace {

/// Calls `then()` when `me` is a member of `room`, else answers 403.
void as_member(const rest_context& ctx, const std::string& room,
               const std::string& me, const char* what, reply_fn reply,
               std::function<void()> then) {
  with_view<member_reply>(
    ctx, events::aggregate_kind::room, room,
    member_query{events::room_id{room}, events::user_id{me}}, reply,
    [reply, what, then = std::move(then)](membership& m) {
      if (!m.room_exists) {
        reply(http_response::error(404, "not_found", "no such room"));
        return;
      }
      if (!m.member) {
        reply(http_response::error(403, "not_member",
                                   std::string{"only members "} + what));
        return;
      }
      then();
    });
}

/// Reads a schedule whose room has `me` as a member.
void with_member_schedule(const rest_context& ctx, const std::string& id,
                          const std::string& me, const char* what,
                          reply_fn reply,
                          std::function<void(json&, std::uint64_t)> then) {
  with_schedule(ctx, id, reply,
                [ctx, reply, me, what,
                 then = std::move(then)](schedule_view& view) mutable {
                  json st = view;
                  auto seq = view.seq.value();
                  auto room = view.room;
                  as_member(ctx, room, me, what, reply,
                            [then, st, seq]() mutable {
                              then(st, seq);
                            });
                });
}

void add_create(infra::router& routes, const rest_context& ctx) {
  routes.add("POST", "/v1/rooms/{id}/schedules",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               auto doc = me ? body_of(req, reply) : std::nullopt;
               if (!doc)
                 return;
               auto title = text_field(*doc, "title", reply);
               auto starts
                 = title ? text_field(*doc, "starts_at", reply) : std::nullopt;
               auto place = starts ? text_field(*doc, "place", reply, false)
                                   : std::nullopt;
               auto capacity = place ? count_field(*doc, "capacity", 0, reply)
                                     : std::nullopt;
               if (!capacity)
                 return;
               auto room = req.param("id");
               auto id = "s-" + events::new_event_id().value();
               create_schedule c{events::room_id{room},
                                 events::user_id{*me},
                                 *title,
                                 *starts,
                                 *place,
                                 *capacity};
               as_member(ctx, room, *me, "create schedules", reply,
                         [ctx, reply, id, c]() mutable {
                           command(ctx, to_schedule(id, c), 201, reply,
                                   [id](const command_result&) {
                                     return json{{"schedule", id}};
                                   });
                         });
             });
}

void add_seats(infra::router& routes, const rest_context& ctx) {
  routes.add("GET", "/v1/schedules/{id}",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               auto id = req.param("id");
               with_member_schedule(ctx, id, *me, "see schedules", reply,
                                    [reply, id](json& st, std::uint64_t seq) {
                                      st["schedule"] = id;
                                      st["seq"] = seq;
                                      reply(http_response::json(200, st));
                                    });
             });

  routes.add("POST", "/v1/schedules/{id}/seats",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               auto id = req.param("id");
               with_member_schedule(
                 ctx, id, *me, "take seats", reply,
                 [ctx, reply, id, me = *me](json&, std::uint64_t) mutable {
                   command(
                     ctx, to_schedule(id, take_seat{events::user_id{me}}), 200,
                     reply, [](const command_result& r) {
                       bool seated
                         = std::holds_alternative<events::schedule_seat_taken>(
                           r.events.front());
                       return json{{"seated", seated}};
                     });
                 });
             });

  add_self_command(routes, ctx, "DELETE", "/v1/schedules/{id}/seats",
                   [](const std::string& id, events::user_id me) {
                     return to_schedule(id, release_seat{std::move(me)});
                   });
  add_self_command(routes, ctx, "POST", "/v1/schedules/{id}/close",
                   [](const std::string& id, events::user_id me) {
                     return to_schedule(id, close_schedule{std::move(me)});
                   });
}

} // namespace

void add_schedule_routes(infra::router& routes, const rest_context& ctx) {
  add_create(routes, ctx);
  add_seats(routes, ctx);
}

} // namespace moim::gateway::rest
