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
#include <optional>
#include <string>
#include <vector>

namespace moim::gateway {

/// Reads a room's stored event frames after `after` up to `through` (the
/// Postgres history), off the actor threads, and gives them to `done`, or
/// nothing when they are not all there (yet).
using room_history_fn = std::function<void(
  const std::string& room, std::uint64_t after, std::uint64_t through,
  std::function<void(std::optional<std::vector<std::string>>)> done)>;

struct websocket_gateway_options {
  double messages_per_second = 20; ///< per connection; more: error frames
  double burst = 0; ///< frames at once; 0: as many as messages_per_second

  /// Where a reconnecting client missing more than the fan-out's recent
  /// events is caught up from; unset: it gets recovery_impossible.
  room_history_fn history;
  /// At most this many events are caught up from the history; a client
  /// further behind gets recovery_impossible (and pages the REST history).
  std::uint64_t history_most = 1000;

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
/// A subscribe with last_seq gets the room's events after it: from the
/// fan-out's recent events, or from the stored history (`history`) when
/// it is further behind, the frames the same as live ones.
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
