#pragma once

#include "infra/log/event_log.hpp"
#include "infra/state/state_store.hpp"

#include <string>

namespace moim::actors {

struct restore_report {
  std::int64_t from = 0;   ///< the checkpoint's offset, 0 after a rebuild
  std::int64_t to = 0;     ///< the partition's end
  std::size_t records = 0; ///< replayed from the tail
  bool rebuilt = false;    ///< no usable checkpoint: replayed from the start
};

/// Brings the state store of `where` up to the end of its log partition:
/// from the checkpoint and the tail after it, never the whole partition
/// when a checkpoint of the current schema exists. Blocking; run it after
/// becoming the partition's writer (so nobody else appends) and before its
/// host serves.
[[nodiscard]] infra::result<restore_report>
restore_partition(infra::event_log& log, infra::state_store& store,
                  const infra::topic_partition& where,
                  events::aggregate_kind kind);

/// A digest (BLAKE2b, hex) of the aggregate snapshots of a partition whose
/// ids start with `id_prefix` (all by default), to compare two stores.
[[nodiscard]] infra::result<std::string>
state_digest(infra::state_store& store, const infra::topic_partition& where,
             const std::string& id_prefix = {});

} // namespace moim::actors
