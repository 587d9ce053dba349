#pragma once

#include "gateway/notification_hub.hpp"
#include "infra/auth/tokens.hpp"
#include "infra/http/event_stream.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <chrono>
#include <functional>

namespace moim::gateway {

struct notification_stream_options {
  std::chrono::seconds heartbeat{15}; ///< a comment line this often
};

/// The accept function of GET /v1/notifications/stream (SSE): the access
/// token comes as ?token=... (a browser's EventSource cannot send headers)
/// or as Authorization: Bearer; a bad one is 401. Each stream gets an
/// actor that at once sends a "ready" event (proxies time out otherwise),
/// then what was missed after the Last-Event-ID header (or ?last_event_id=),
/// preceded by a "reset" event when some of that is gone, then each
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
