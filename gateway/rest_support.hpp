#pragma once

#include "gateway/rest_api.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// Helpers shared by the REST route files. Each "field" helper answers 400
// itself and returns nothing when the request is bad, so that a handler
// reads as a chain of `if (!x) return;`.
namespace moim::gateway::rest {

using namespace moim::actors;

using infra::http_request;
using infra::http_response;
using infra::reply_fn;
using nlohmann::json;

[[nodiscard]] http_response rejected(const rejection& r);

/// The JSON object in the body.
[[nodiscard]] std::optional<json> body_of(const http_request& req,
                                          const reply_fn& reply);

/// A string field; an absent optional one is "".
[[nodiscard]] std::optional<std::string> text_field(const json& doc,
                                                    const char* name,
                                                    const reply_fn& reply,
                                                    bool required = true);

/// "username" and "password" (sign-up, login).
[[nodiscard]] std::optional<std::pair<std::string, std::string>>
credentials_of(const json& doc, const reply_fn& reply);

/// A non-negative integer field, `fallback` when absent.
[[nodiscard]] std::optional<std::uint32_t> count_field(const json& doc,
                                                       const char* name,
                                                       std::uint32_t fallback,
                                                       const reply_fn& reply);

/// An array of strings, `fallback` when absent.
[[nodiscard]] std::optional<std::vector<std::string>>
texts_field(const json& doc, const char* name,
            std::vector<std::string> fallback, const reply_fn& reply);

/// A boolean field, `fallback` when absent.
[[nodiscard]] std::optional<bool> flag_field(const json& doc, const char* name,
                                             bool fallback,
                                             const reply_fn& reply);

/// The query parameter `name` as a whole number up to `max`, in `out`
/// (left alone when absent); false after answering 400.
[[nodiscard]] bool number_param(const http_request& req, const char* name,
                                std::uint64_t max,
                                std::optional<std::uint64_t>& out,
                                const reply_fn& reply);

/// A message sequence number in the path's {seq}.
[[nodiscard]] std::optional<std::uint64_t> seq_param(const http_request& req,
                                                     const reply_fn& reply);

/// The user of a valid access token (401 otherwise).
[[nodiscard]] std::optional<std::string> authenticate(const rest_context& ctx,
                                                      const http_request& req,
                                                      const reply_fn& reply);

/// Sends a command; answers `status` with view(result) plus "seq" and
/// "events", or with the rejection.
void command(const rest_context& ctx, command_envelope cmd, int status,
             reply_fn reply, std::function<json(const command_result&)> view);

/// An empty view: the answer is the sequence and the events.
[[nodiscard]] json no_view(const command_result&);

/// Asks a typed query (actors/port.hpp) and calls `then(view)`; answers
/// the rejection (404 for an aggregate that does not exist) itself.
template<class Reply, class Query, class Then>
void with_view(const rest_context& ctx, events::aggregate_kind kind,
               const std::string& id, Query q, reply_fn reply, Then then) {
  ctx.bridge.query<Reply>(
    kind, id, std::move(q),
    std::function<void(Reply)>{[reply, then](Reply r) mutable {
      if (!r) {
        reply(rejected(r.err()));
        return;
      }
      then(*r);
    }});
}

void with_room(const rest_context& ctx, const std::string& room, reply_fn reply,
               std::function<void(actors::room_view&)> then);
/// Reads a room the caller may see: members see every room, others only
/// public ones (403).
void with_visible_room(const rest_context& ctx, const std::string& room,
                       const std::string& me, reply_fn reply,
                       std::function<void(json& state, std::uint64_t)> then);

/// The read model a query reads: its store's name ("postgres", "redis",
/// "search", which is also its projection's) and the model.
template<class Model>
struct read_model_ref {
  const char* store;
  std::shared_ptr<Model> model;
};

/// Runs `run` on the blocking pool, after waiting (bounded) for the read
/// model `store` to apply the position the request passes back
/// (`after_position` parameter or `Moim-After-Position` header, as a
/// command's response gave it). Answers 400 for a malformed position, 503
/// naming the store when it is not configured or its projection has not
/// got there in time.
void after_position(const rest_context& ctx, const http_request& req,
                    const char* store, bool configured, reply_fn reply,
                    std::function<void(reply_fn)> run);

/// Answers `query`'s JSON from the read model (after_position first), or
/// 503 naming the store when it is down or not configured.
template<class Model>
void read_model_query(const rest_context& ctx, const http_request& req,
                      reply_fn reply, read_model_ref<Model> ref,
                      std::function<infra::result<json>(Model&)> query) {
  after_position(ctx, req, ref.store, ref.model != nullptr, std::move(reply),
                 [ref, query = std::move(query)](reply_fn reply) {
                   auto answer = query(*ref.model);
                   if (!answer) {
                     reply(http_response::error(503, "read_model_unavailable",
                                                answer.err().message));
                     return;
                   }
                   reply(http_response::json(200, *answer));
                 });
}

[[nodiscard]] read_model_ref<projections::postgres_read_model>
postgres_of(const rest_context& ctx);
[[nodiscard]] read_model_ref<projections::redis_read_model>
redis_of(const rest_context& ctx);
[[nodiscard]] read_model_ref<projections::search_read_model>
search_of(const rest_context& ctx);

void with_schedule(const rest_context& ctx, const std::string& id,
                   reply_fn reply,
                   std::function<void(actors::schedule_view&)> then);
void with_profile(const rest_context& ctx, const std::string& user,
                  reply_fn reply,
                  std::function<void(actors::user_profile&)> then);

[[nodiscard]] command_envelope to_user(const std::string& user, user_command c);
[[nodiscard]] command_envelope to_room(const std::string& room, room_command c,
                                       std::string key = {});
[[nodiscard]] command_envelope to_schedule(const std::string& id,
                                           schedule_command c);

/// A route whose command needs only the path's {id} and the caller.
void add_self_command(
  infra::router& routes, rest_context ctx, const char* method, const char* path,
  std::function<command_envelope(const std::string&, events::user_id)> make);

void add_user_routes(infra::router& routes, const rest_context& ctx);
void add_session_routes(infra::router& routes, const rest_context& ctx);
void add_room_routes(infra::router& routes, const rest_context& ctx);
void add_message_routes(infra::router& routes, const rest_context& ctx);
void add_schedule_routes(infra::router& routes, const rest_context& ctx);
void add_search_routes(infra::router& routes, const rest_context& ctx);
void add_notification_routes(infra::router& routes, const rest_context& ctx);
void add_stats_routes(infra::router& routes, const rest_context& ctx);

} // namespace moim::gateway::rest
