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

/// Runs `query` on the blocking pool and answers its JSON, or 503 naming
/// the store when it is down or not configured.
void read_model_query(
  const rest_context& ctx, reply_fn reply,
  std::function<infra::result<json>(projections::postgres_read_model&)> query);

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

} // namespace moim::gateway::rest
