#pragma once

#include "actors/hosting/messages.hpp"
#include "infra/state/state_store.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <optional>

namespace moim::actors {

struct load_request {
  infra::topic_partition where;
  std::string id;
};

struct load_response {
  bool found = false;
  infra::aggregate_snapshot snapshot;
  std::string error; ///< non-empty when the store failed
};

struct write_request {
  infra::topic_partition where;
  std::vector<infra::aggregate_snapshot> snapshots;
  infra::partition_checkpoint checkpoint;
};

/// The state store behind an actor of its own, detached from the
/// cooperative scheduler because RocksDB calls block.
using state_io_actor = caf::typed_actor<
  caf::replies_to<loaded_atom, load_request>::with<load_response>,
  caf::replies_to<snapshot_atom, write_request>::with<bool>>;

[[nodiscard]] state_io_actor
spawn_state_io(caf::actor_system& sys,
               std::shared_ptr<infra::state_store> store);

} // namespace moim::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::load_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::load_response)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::write_request)
