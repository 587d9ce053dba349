#pragma once

#include "events/aggregate_kind.hpp"
#include "events/envelope.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <memory>
#include <string>
#include <vector>

namespace moim::actors {

/// Events one aggregate appended together, after the log took them, in the
/// aggregate's order. One batch is shared by every listener.
struct committed_batch {
  events::aggregate_kind kind = events::aggregate_kind::room;
  events::aggregate_id aggregate;
  std::vector<events::event_envelope> events;
};

using committed_ptr = std::shared_ptr<const committed_batch>;

using committed_atom = caf::atom_constant<caf::atom("committed")>;

/// Registers with the write side (write_side::subscribe_committed) to hear
/// of every committed batch of the aggregates this node hosts. The
/// aggregate only enqueues the batch in the listener's mailbox: a slow
/// listener never blocks it. Batches of one aggregate arrive in order.
using committed_listener
  = caf::typed_actor<caf::reacts_to<committed_atom, committed_ptr>>;

} // namespace moim::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::committed_ptr)
