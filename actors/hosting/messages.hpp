#pragma once

#include "actors/committed.hpp"
#include "actors/port.hpp"
#include "events/catalogue/any_event.hpp"
#include "infra/log/event_log.hpp"
#include "infra/state/state_store.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <variant>

namespace moim::actors {

// ---- atoms
// -------------------------------------------------------------------

using state_atom = caf::atom_constant<caf::atom("state")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using appended_atom = caf::atom_constant<caf::atom("appended")>;
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;
using loaded_atom = caf::atom_constant<caf::atom("loaded")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using revoke_atom = caf::atom_constant<caf::atom("revoke")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;

/// How many aggregates a host keeps live and how many it has passivated.
struct host_stats {
  std::size_t live = 0;
  std::size_t passivated = 0;
  std::size_t spawned = 0;
};

/// One aggregate: the single writer of its state.
using aggregate_actor = aggregate_port::extend<
  caf::reacts_to<flush_atom>,
  caf::reacts_to<appended_atom, events::aggregate_seq, infra::append_result>,
  caf::replies_to<passivate_atom>::with<infra::aggregate_snapshot>,
  caf::replies_to<snapshot_atom>::with<infra::aggregate_snapshot>,
  caf::replies_to<state_atom>::with<std::string>>;

/// The host of one log partition: routes commands to its aggregates,
/// spawning and passivating them, and checkpoints their state.
using partition_host_actor = aggregate_port::extend<
  caf::replies_to<state_atom, events::aggregate_id>::with<std::string>,
  caf::reacts_to<appended_atom, aggregate_actor, events::aggregate_id,
                 events::aggregate_seq, infra::append_result>,
  caf::reacts_to<snapshot_atom, infra::aggregate_snapshot>,
  caf::reacts_to<tick_atom>, caf::replies_to<stats_atom>::with<host_stats>,
  caf::replies_to<revoke_atom>::with<bool>>;

} // namespace moim::actors

// Local-only message types: they never cross a process, so they need no
// serialization (CAF 0.17 would otherwise ask for an inspect overload).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::host_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::events::aggregate_id)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::events::aggregate_seq)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::infra::append_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::infra::aggregate_snapshot)
