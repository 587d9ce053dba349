#pragma once

#include "actors/write_side.hpp"
#include "infra/log/event_log.hpp"
#include "infra/state/state_store.hpp"

#include <string>

namespace moim::actors {

/// Brings the state store of `where` up to the end of its log partition:
/// from the checkpoint and the tail after it, never the whole partition
/// when a checkpoint of the current schema exists. Blocking; run it after
/// becoming the partition's writer (so nobody else appends) and before its
/// host serves.
[[nodiscard]] infra::result<restore_report>
restore_partition(infra::event_log& log, infra::state_store& store,
                  const infra::topic_partition& where,
                  events::aggregate_kind kind);

} // namespace moim::actors
