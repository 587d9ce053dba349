#pragma once

#include "actors/write_side.hpp"
#include "gateway/connection.hpp"

#include <caf/actor_system.hpp>

#include <string>
#include <utility>
#include <vector>

namespace moim::gateway {

using listen_atom = caf::atom_constant<caf::atom("listen")>;
using hub_sweep_atom = caf::atom_constant<caf::atom("hubsweep")>;
using hub_stats_atom = caf::atom_constant<caf::atom("hubstats")>;

/// What a listener gets back: the notifications after its last id, or,
/// when some of those are gone (or the id is not one of ours), all that
/// are kept and `recovered` false (the client reloads its list).
struct listen_reply {
  bool recovered = true;
  std::vector<std::pair<std::string, std::string>> missed; ///< (id, frame)
};

struct hub_stats {
  std::size_t inboxes = 0;
  std::size_t listeners = 0;
  std::size_t kept = 0; ///< notifications held, all users
};

struct hub_options {
  std::size_t kept_per_user = 100;
  /// The inbox of a user with no connection on this node goes after this
  /// many sweeps (one a second in moimd).
  int idle_sweeps = 600;
  /// At most this many inboxes; above it the longest idle ones go first.
  std::size_t max_inboxes = 100000;
};

/// Delivers each user's notifications to that user's connections on this
/// node (WebSocket and SSE, any number), keeping the last `kept_per_user`
/// for resumption (SSE Last-Event-ID). A committed-events listener of the
/// write side: which events notify whom is decided here
/// (notifications_of), not on the aggregate. Listeners are monitored; a
/// listener's end costs O(1).
using notification_hub_actor = caf::typed_actor<
  caf::reacts_to<actors::committed_atom, actors::committed_ptr>,
  caf::replies_to<listen_atom, notice_listener, std::string /*user*/,
                  std::string /*last_id*/>::with<listen_reply>,
  caf::reacts_to<hub_sweep_atom>,
  caf::replies_to<hub_stats_atom>::with<hub_stats>>;

[[nodiscard]] notification_hub_actor
spawn_notification_hub(caf::actor_system& sys, hub_options options = {});

} // namespace moim::gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::listen_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::hub_stats)
