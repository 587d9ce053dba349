#pragma once

#include "gateway/notification_hub.hpp"
#include "infra/auth/tokens.hpp"
#include "infra/http/event_stream.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace moim::gateway {

/// Notifications kept in a store (the Postgres read model): (id, frame).
using stored_notifications = std::vector<std::pair<std::string, std::string>>;

/// Looks up, off the actor scheduler, the notifications of `user` after the
/// id `after`, and calls back with them, or with nothing when `after` is not
/// one of the user's (or the store cannot say).
using notification_lookup = std::function<void(
  const std::string& user, const std::string& after,
  std::function<void(std::optional<stored_notifications>)> done)>;

struct notification_stream_options {
  std::chrono::seconds heartbeat{15}; ///< a comment line this often
  /// Where a stream resumes from when the hub no longer keeps what it
  /// missed (after a restart, or more than kept_per_user ago); unset: a
  /// "reset".
  notification_lookup lookup;
};

/// The accept function of GET /v1/notifications/stream (SSE): the access
/// token comes as ?token=... (a browser's EventSource cannot send headers)
/// or as Authorization: Bearer; a bad one is 401. Each stream gets an
/// actor that at once sends a "ready" event (proxies time out otherwise),
/// then what was missed after the Last-Event-ID header (or ?last_event_id=)
/// from the hub or, when the hub no longer has it, from the store
/// (options.lookup), preceded by a "reset" event only when neither can
/// vouch for it; then each
/// notification as it comes (event "notification", id = notification id),
/// heartbeats, and "token_expired" before closing when the token expires.
[[nodiscard]] infra::event_stream_accept_fn
notification_stream(caf::actor_system& sys, const infra::token_issuer& tokens,
                    notification_hub_actor hub,
                    notification_stream_options options = {},
                    std::function<void(caf::actor)> track = {});

/// The user of the token in `Authorization: Bearer` or in ?token=, with
/// its claims, or why not. Shared by the SSE and WebSocket gateways.
[[nodiscard]] infra::result<infra::token_claims>
stream_credentials(const infra::token_issuer& tokens,
                   const infra::http_request& req);

/// How long until `claims` expire (at least zero).
[[nodiscard]] std::chrono::milliseconds
time_left(const infra::token_claims& claims);

} // namespace moim::gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(
  std::optional<moim::gateway::stored_notifications>)
