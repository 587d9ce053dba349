#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <string>
#include <vector>

namespace moim::actors {

using notify_atom = caf::atom_constant<caf::atom("notify")>;
using listen_atom = caf::atom_constant<caf::atom("listen")>;
using notice_atom = caf::atom_constant<caf::atom("notice")>;

/// What a listener gets back: the notifications after its last id, or,
/// when some of those are gone, all that are kept and `recovered` false
/// (the client reloads its list).
struct listen_reply {
  bool recovered = true;
  std::vector<std::pair<std::string, std::string>> missed; ///< (id, frame)
};

/// Delivers each user's notifications to that user's connections on this
/// node (WebSocket and SSE, any number), keeping the last `kept_per_user`
/// of each user for resumption (SSE Last-Event-ID).
///   (notify_atom, user, id, frame)         see notifications_of
///   (listen_atom, user, last_id) -> listen_reply   ("" : nothing missed)
/// Listeners receive (notice_atom, id, frame); they are monitored and
/// dropped when they end.
[[nodiscard]] caf::actor
spawn_notification_hub(caf::actor_system& sys, std::size_t kept_per_user = 100);

} // namespace moim::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::listen_reply)
