#pragma once

#include "actors/hosting/messages.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <string>
#include <vector>

namespace moim::actors {

using publish_atom = caf::atom_constant<caf::atom("publish")>;
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using unsub_atom = caf::atom_constant<caf::atom("unsub")>;
using typing_atom = caf::atom_constant<caf::atom("typing")>;
using push_atom = caf::atom_constant<caf::atom("push")>;

/// What a subscriber gets back: the frames it missed since its last seq,
/// or that recovery is not possible (the client reloads).
struct subscription_reply {
  bool recovered = true;
  std::vector<std::string> missed; ///< event frames, in order
  std::vector<std::string> online; ///< users subscribed to the room
};

/// Fans room events out to the connections subscribed on this node, in the
/// order the room's aggregate committed them, keeping each room's recent
/// events (256) so that a reconnecting client gets what it missed.
///   (publish_atom, room, seq, frame)            from room aggregates
///   (subscribe_atom, room, user, last_seq, current_seq) -> subscription_reply
///   (unsub_atom, room)                          from the subscriber
///   (typing_atom, room, user)                   not persisted
/// Subscribers receive (push_atom, frame); they are monitored and dropped
/// when they end.
[[nodiscard]] caf::actor spawn_room_fanout(caf::actor_system& sys);

} // namespace moim::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::subscription_reply)
