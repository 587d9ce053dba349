#pragma once

#include "actors/write_side.hpp"
#include "gateway/notification_hub.hpp"
#include "gateway/room_fanout.hpp"
#include "infra/auth/tokens.hpp"
#include "infra/http/websocket.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <functional>
#include <memory>

namespace moim::gateway {

struct websocket_gateway_options {
  double messages_per_second = 20; ///< per connection; more: error frames
  double burst = 0; ///< frames at once; 0: as many as messages_per_second

  [[nodiscard]] double burst_or_rate() const noexcept {
    return burst > 0 ? burst : messages_per_second;
  }
};

/// The accept function of /v1/ws: a token in the URL (?token=...) or in
/// Authorization: Bearer is checked before the upgrade (401 when bad);
/// without one the first frame must be {"type":"auth","token":...}. Each
/// connection gets an actor (a connection_actor), which also delivers the
/// user's notifications (from `hub`) and closes with 4001 when the token
/// expires (an auth frame with a fresh token for the same user extends
/// it). `track` is told of every connection actor (for shutdown).
///
/// Client frames: auth, subscribe {room, last_seq?}, unsubscribe {room},
/// send {room, text, client_message_id}, typing {room}.
/// Server frames: authenticated, subscribed {room, seq, online},
/// recovery_impossible {room}, unsubscribed {room, reason} (kicked,
/// banned, left), event {room, seq, event, payload},
/// ack {client_message_id, room, message, seq}, presence, typing,
/// notification {id, kind, ...}, error {code, message}.
[[nodiscard]] infra::websocket_accept_fn websocket_gateway(
  caf::actor_system& sys, std::shared_ptr<const actors::write_side> ws,
  const infra::token_issuer& tokens, fanout_shards fanouts,
  notification_hub_actor hub, websocket_gateway_options options = {},
  std::function<void(caf::actor)> track = {});

} // namespace moim::gateway
