#pragma once

#include "infra/http/shared_frame.hpp"
#include "infra/http/websocket.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <memory>
#include <string>

namespace moim::gateway {

// What the node-wide gateway actors (fan-out, notification hub) send to the
// connection actors, as typed interfaces: a WebSocket connection is both a
// room subscriber and a notice listener, an SSE stream a notice listener.

using dropped_atom = caf::atom_constant<caf::atom("dropped")>;
using notice_atom = caf::atom_constant<caf::atom("notice")>;

/// Told when its subscription to a room ends because its user is no longer
/// a member (kicked, banned, left). The room's frames themselves do not
/// pass through it: the fan-out writes them straight to the subscriber's
/// connection (a frame_sink), in order, with no actor hop per delivery.
using room_subscriber = caf::typed_actor<
  caf::reacts_to<dropped_atom, std::string /*room*/, std::string /*why*/>>;

/// Where the fan-out writes a subscriber's frames: its connection's
/// outbound queue (bounded; a slow consumer is closed there).
using frame_sink = std::shared_ptr<infra::websocket_connection>;

/// Receives a user's notifications: (id, frame).
using notice_listener
  = caf::typed_actor<caf::reacts_to<notice_atom, std::string, std::string>>;

/// A WebSocket connection: both.
using connection_actor = room_subscriber::extend_with<notice_listener>;

} // namespace moim::gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::infra::shared_frame)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::frame_sink)
