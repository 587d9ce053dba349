#pragma once

#include "infra/http/shared_frame.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace moim::gateway {

// What the node-wide gateway actors (fan-out, notification hub) send to the
// connection actors, as typed interfaces: a WebSocket connection is both a
// room subscriber and a notice listener, an SSE stream a notice listener.

using push_atom = caf::atom_constant<caf::atom("push")>;
using dropped_atom = caf::atom_constant<caf::atom("dropped")>;
using notice_atom = caf::atom_constant<caf::atom("notice")>;

/// Receives a room's frames in order (bytes shared by all its subscribers);
/// told when its subscription ends
/// because its user is no longer a member (kicked, banned, left).
using room_subscriber = caf::typed_actor<
  caf::reacts_to<push_atom, infra::shared_frame>,
  caf::reacts_to<dropped_atom, std::string /*room*/, std::string /*why*/>>;

/// Receives a user's notifications: (id, frame).
using notice_listener
  = caf::typed_actor<caf::reacts_to<notice_atom, std::string, std::string>>;

/// A WebSocket connection: both.
using connection_actor = room_subscriber::extend_with<notice_listener>;

} // namespace moim::gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::infra::shared_frame)
