#pragma once

#include "actors/hosting/write_side.hpp"
#include "infra/auth/tokens.hpp"
#include "infra/http/websocket.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace moim::actors {

struct websocket_gateway_options {
  double messages_per_second = 20; ///< per connection; more: error frames
  double burst = 40;
};

/// The accept function of /v1/ws: a token in the URL (?token=...) or in
/// Authorization: Bearer is checked before the upgrade (401 when bad);
/// without one the first frame must be {"type":"auth","token":...}. Each
/// connection gets an actor, which also delivers the user's notifications
/// (from `hub`) and closes with 4001 when the token expires (an auth frame
/// with a fresh token for the same user extends it).
///
/// Client frames: auth, subscribe {room, last_seq?}, unsubscribe {room},
/// send {room, text, client_message_id}, typing {room}.
/// Server frames: authenticated, subscribed {room, seq, online},
/// recovery_impossible {room}, event {room, seq, event, payload},
/// ack {client_message_id, room, message, seq}, presence, typing,
/// notification {id, kind, ...}, error {code, message}.
[[nodiscard]] infra::websocket_accept_fn
websocket_gateway(caf::actor_system& sys, const write_side& ws,
                  const infra::token_issuer& tokens, caf::actor fanout,
                  caf::actor hub, websocket_gateway_options options = {});

/// The frame a room event is sent to subscribers as.
[[nodiscard]] std::string event_frame(const events::event_envelope& e);

} // namespace moim::actors
