#pragma once

#include "actors/write_side.hpp"
#include "gateway/connection.hpp"

#include <caf/actor_system.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace moim::gateway {

using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using unsub_atom = caf::atom_constant<caf::atom("unsub")>;
using typing_atom = caf::atom_constant<caf::atom("typing")>;
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;

/// A subscription asked of the fan-out. The subscriber has checked the
/// membership at the room's `current_seq`; it has seen the room up to
/// `last_seq` (from a previous connection; no more than current_seq means
/// nothing), so it gets what came after.
struct subscription_request {
  room_subscriber who;
  frame_sink sink;
  std::string room;
  std::string user;
  std::uint64_t last_seq = 0;
  std::uint64_t current_seq = 0;
  /// The subscriber can catch up from the stored history: when the recent
  /// buffer does not reach back to last_seq, nothing is written and the
  /// reply names how far the history must go (history_through).
  bool history = false;
  /// Frames from the history (the events after last_seq), written after
  /// `subscribed` and before the buffered and live ones.
  std::vector<std::string> prelude;
};

/// What a subscriber gets back. Its frames (`subscribed`, the prelude, then
/// the event frames it missed since its last seq or `recovery_impossible`,
/// then the room's live frames) the fan-out has written to its sink by
/// then, in that order; `refused`: the user stopped being a member after
/// the membership check the subscriber made, and nothing was written.
struct subscription_reply {
  bool refused = false;
  bool recovered = true;
  std::size_t missed = 0; ///< event frames written from the recent buffer
  /// Nothing written: read the events after last_seq up to this one from
  /// the history, then ask again with them as the prelude and this as
  /// last_seq. The room's events from now on are kept meanwhile.
  std::optional<std::uint64_t> history_through;
};

/// For tests and metrics: what the fan-out holds.
struct fanout_stats {
  std::size_t rooms = 0;       ///< with subscribers or a recent buffer
  std::size_t subscribers = 0; ///< connections with a subscription
  std::size_t buffered = 0;    ///< recent frames held, all rooms
};

struct fanout_options {
  std::size_t recent_per_room = 256; ///< kept for reconnect recovery
  /// A room nobody on this node watches keeps its recent frames for this
  /// many sweeps (one a second in moimd), then they go.
  int idle_sweeps = 60;
  /// This actor's share of the rooms (fanout_shard_of); others' events
  /// it ignores.
  std::size_t shard = 0;
  std::size_t shards = 1;
  /// Told of each (room, user) subscription that starts (true) and ends
  /// (false), for presence beyond this node; must not block.
  std::function<void(const std::string& room, const std::string& user,
                     bool online)>
    presence;
};

/// Fans room events out to the connections subscribed on this node, in the
/// order the room's aggregate committed them. It is a committed-events
/// listener of the write side (frames are made here, not on the
/// aggregate), and writes each frame once, shared, to every subscriber's
/// sink. A member who is kicked, banned or leaves loses the room's
/// subscriptions at once (an `unsubscribed` frame, and `dropped` to the
/// subscriber), with presence. Subscribers are monitored; a subscriber's
/// end costs O(its subscriptions).
using room_fanout_actor = caf::typed_actor<
  caf::reacts_to<actors::committed_atom, actors::committed_ptr>,
  caf::replies_to<subscribe_atom,
                  subscription_request>::with<subscription_reply>,
  caf::reacts_to<unsub_atom, room_subscriber, std::string>,
  caf::reacts_to<typing_atom, room_subscriber, std::string, std::string>,
  caf::reacts_to<sweep_atom>, caf::replies_to<stats_atom>::with<fanout_stats>>;

[[nodiscard]] room_fanout_actor spawn_room_fanout(caf::actor_system& sys,
                                                  fanout_options options = {});

/// Which of `shards` fan-out actors serves `room` (a hash of its id).
[[nodiscard]] std::size_t fanout_shard_of(const std::string& room,
                                          std::size_t shards);

/// A node's fan-out actors: the rooms are spread over them, so fanning out
/// uses every core, and a room's events stay in one actor, in order.
class fanout_shards {
public:
  fanout_shards() = default;

  /// `count` actors (0: one per core).
  fanout_shards(caf::actor_system& sys, std::size_t count,
                fanout_options options);

  [[nodiscard]] const room_fanout_actor& of(const std::string& room) const {
    return shards_[fanout_shard_of(room, shards_.size())];
  }

  [[nodiscard]] const std::vector<room_fanout_actor>& all() const noexcept {
    return shards_;
  }

private:
  std::vector<room_fanout_actor> shards_;
};

} // namespace moim::gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::subscription_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::subscription_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::fanout_stats)
