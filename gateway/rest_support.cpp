#include "gateway/rest_support.hpp"

#include "events/public_frame.hpp"
#include "projections/postgres/read_model.hpp"
#include "projections/redis/redis_read_model.hpp"
#include "projections/search/search_read_model.hpp"

#include <charconv>

namespace moim::gateway::rest {

using namespace moim::actors;

namespace {

int status_of(rejection_code code) {
  switch (code) {
    case rejection_code::not_found: return 404;
    case rejection_code::invalid: return 400;
    case rejection_code::not_member:
    case rejection_code::not_owner:
    case rejection_code::banned:
    case rejection_code::too_old: return 403;
    case rejection_code::not_owner_node:
    case rejection_code::unavailable: return 503;
    default: return 409; // conflicts with the aggregate's state
  }
}

http_response wrong_type(const char* name, const char* what) {
  return http_response::error(400, "wrong_type",
                              std::string{"'"} + name + "' must be " + what);
}

json events_json(const command_result& r) {
  json out = json::array();
  for (const auto& e : r.events) {
    out.push_back(
      {{"type", events::type_of(e)}, {"payload", events::public_payload(e)}});
  }
  return out;
}

} // namespace

http_response rejected(const rejection& r) {
  return http_response::error(status_of(r.code), to_string(r.code), r.reason);
}

std::optional<json> body_of(const http_request& req, const reply_fn& reply) {
  auto doc = json::parse(req.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    reply(
      http_response::error(400, "bad_json", "the body must be a JSON object"));
    return std::nullopt;
  }
  return doc;
}

std::optional<std::string> text_field(const json& doc, const char* name,
                                      const reply_fn& reply, bool required) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) {
    if (!required)
      return std::string{};
    reply(http_response::error(400, "missing_field",
                               std::string{"'"} + name + "' is required"));
    return std::nullopt;
  }
  if (!it->is_string()) {
    reply(wrong_type(name, "a string"));
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::pair<std::string, std::string>>
credentials_of(const json& doc, const reply_fn& reply) {
  auto username = text_field(doc, "username", reply);
  auto password = username ? text_field(doc, "password", reply) : std::nullopt;
  if (!password)
    return std::nullopt;
  return std::pair{std::move(*username), std::move(*password)};
}

std::optional<std::uint32_t> count_field(const json& doc, const char* name,
                                         std::uint32_t fallback,
                                         const reply_fn& reply) {
  auto it = doc.find(name);
  if (it == doc.end())
    return fallback;
  if (!it->is_number_unsigned()
      || it->get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
    reply(wrong_type(name, "a non-negative 32-bit integer"));
    return std::nullopt;
  }
  return it->get<std::uint32_t>();
}

std::optional<std::vector<std::string>>
texts_field(const json& doc, const char* name,
            std::vector<std::string> fallback, const reply_fn& reply) {
  auto it = doc.find(name);
  if (it == doc.end())
    return fallback;
  std::vector<std::string> out;
  if (it->is_array())
    for (const auto& x : *it)
      if (x.is_string())
        out.push_back(x.get<std::string>());
  if (!it->is_array() || out.size() != it->size()) {
    reply(wrong_type(name, "an array of strings"));
    return std::nullopt;
  }
  return out;
}

std::optional<bool> flag_field(const json& doc, const char* name, bool fallback,
                               const reply_fn& reply) {
  auto it = doc.find(name);
  if (it == doc.end())
    return fallback;
  if (!it->is_boolean()) {
    reply(wrong_type(name, "true or false"));
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<std::uint64_t> seq_param(const http_request& req,
                                       const reply_fn& reply) {
  auto text = req.param("seq");
  std::uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc{} || end != text.data() + text.size() || seq == 0) {
    reply(http_response::error(
      400, "bad_path", "the message number must be a positive integer"));
    return std::nullopt;
  }
  return seq;
}

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

void command(const rest_context& ctx, command_envelope cmd, int status,
             reply_fn reply, std::function<json(const command_result&)> view) {
  auto kind = cmd.kind;
  ctx.bridge.send(std::move(cmd), [reply, status, view, kind](command_reply r) {
    if (!r) {
      reply(rejected(r.err()));
      return;
    }
    auto body = view(*r);
    body["seq"] = r->last_seq;
    body["events"] = events_json(*r);
    if (r->duplicate)
      body["duplicate"] = true;
    std::string position;
    if (r->position) {
      position = projections::format_point(kind, *r->position);
      body["position"] = position;
    }
    auto response = http_response::json(status, body);
    if (!position.empty())
      response.headers.emplace_back("Moim-Position", position);
    reply(std::move(response));
  });
}

json no_view(const command_result&) {
  return json::object();
}

void with_room(const rest_context& ctx, const std::string& room, reply_fn reply,
               std::function<void(room_view&)> then) {
  with_view<room_reply>(ctx, events::aggregate_kind::room, room,
                        room_query{events::room_id{room}}, std::move(reply),
                        std::move(then));
}

void with_schedule(const rest_context& ctx, const std::string& id,
                   reply_fn reply, std::function<void(schedule_view&)> then) {
  with_view<schedule_reply>(ctx, events::aggregate_kind::schedule, id,
                            schedule_query{events::schedule_id{id}},
                            std::move(reply), std::move(then));
}

void with_profile(const rest_context& ctx, const std::string& user,
                  reply_fn reply, std::function<void(user_profile&)> then) {
  with_view<profile_reply>(ctx, events::aggregate_kind::user, user,
                           profile_query{events::user_id{user}},
                           std::move(reply), std::move(then));
}

command_envelope to_user(const std::string& user, user_command c) {
  return {events::aggregate_kind::user,
          events::aggregate_id{user},
          std::move(c),
          {},
          {},
          {}};
}

command_envelope to_room(const std::string& room, room_command c,
                         std::string key) {
  return {events::aggregate_kind::room,
          events::aggregate_id{room},
          std::move(c),
          events::idempotency_key{std::move(key)},
          {},
          {}};
}

command_envelope to_schedule(const std::string& id, schedule_command c) {
  return {events::aggregate_kind::schedule,
          events::aggregate_id{id},
          std::move(c),
          {},
          {},
          {}};
}

void add_self_command(
  infra::router& routes, rest_context ctx, const char* method, const char* path,
  std::function<command_envelope(const std::string&, events::user_id)> make) {
  routes.add(method, path,
             [ctx, make](const http_request& req, reply_fn reply) mutable {
               if (auto me = authenticate(ctx, req, reply))
                 command(ctx, make(req.param("id"), events::user_id{*me}), 200,
                         reply, no_view);
             });
}

/// Reads a room the caller may see: members see every room, others only
/// public ones (403).
void with_visible_room(const rest_context& ctx, const std::string& room,
                       const std::string& me, reply_fn reply,
                       std::function<void(json& state, std::uint64_t)> then) {
  with_room(
    ctx, room, reply, [reply, me, then = std::move(then)](room_view& view) {
      json st = view;
      auto seq = view.seq.value();
      bool member = std::find(view.members.begin(), view.members.end(), me)
                    != view.members.end();
      if (!member && !view.is_public) {
        reply(http_response::error(403, "not_member",
                                   "only members see a private room"));
        return;
      }
      then(st, seq);
    });
}

bool number_param(const http_request& req, const char* name, std::uint64_t max,
                  std::optional<std::uint64_t>& out, const reply_fn& reply) {
  auto text = req.query_param(name);
  if (!text)
    return true;
  std::uint64_t v = 0;
  auto [end, ec]
    = std::from_chars(text->data(), text->data() + text->size(), v);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size()
      || v > max) {
    reply(http_response::error(400, "invalid",
                               std::string{name}
                                 + " must be a whole number up to "
                                 + std::to_string(max)));
    return false;
  }
  out = v;
  return true;
}

void after_position(const rest_context& ctx, const http_request& req,
                    const char* store, bool configured, reply_fn reply,
                    std::function<void(reply_fn)> run) {
  if (!configured || !ctx.reads) {
    reply(http_response::error(503, "read_model_unavailable",
                               std::string{"this query reads the "} + store
                                 + " read model; set " + store + ".url"));
    return;
  }
  auto text = req.query_param("after_position");
  if (!text)
    text = req.header("moim-after-position");
  std::optional<projections::log_point> point;
  if (text) {
    point = projections::parse_point(*text);
    if (!point) {
      reply(http_response::error(
        400, "bad_position",
        "after_position must be a position as a command's response gives "
        "it: <topic>:<partition>:<offset>"));
      return;
    }
  }
  ctx.offload([reads = ctx.reads, store = std::string{store}, point,
               reply = std::move(reply), run = std::move(run)]() mutable {
    if (point
        && reads->wait_for(store, *point)
             == projections::read_side::wait_outcome::behind) {
      auto r = http_response::error(
        503, "read_model_behind",
        "the " + store + " read model has not applied "
          + projections::format_point(*point) + " within "
          + std::to_string(reads->wait_limit().count())
          + " ms; try again shortly");
      r.headers.emplace_back("Retry-After", "1");
      reply(std::move(r));
      return;
    }
    run(std::move(reply));
  });
}

read_model_ref<projections::postgres_read_model>
postgres_of(const rest_context& ctx) {
  return {"postgres", ctx.reads ? ctx.reads->postgres() : nullptr};
}

read_model_ref<projections::redis_read_model>
redis_of(const rest_context& ctx) {
  return {"redis", ctx.reads ? ctx.reads->redis() : nullptr};
}

read_model_ref<projections::search_read_model>
search_of(const rest_context& ctx) {
  return {"search", ctx.reads ? ctx.reads->search() : nullptr};
}

} // namespace moim::gateway::rest
