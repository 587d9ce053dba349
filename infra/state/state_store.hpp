#pragma once

#include "infra/error.hpp"
#include "infra/log/event_log.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace moim::infra {

/// The state of one aggregate as of its sequence number `seq`; `data` is
/// opaque here (the aggregate's JSON).
struct aggregate_snapshot {
  std::string id;
  std::uint64_t seq = 0;
  std::string data;
};

/// Which log offset a partition's snapshots reflect: every event before
/// `offset` is in them. Snapshots written under another `schema_version`
/// are not trusted: the partition is rebuilt from the log.
struct partition_checkpoint {
  int schema_version = 0;
  std::int64_t offset = 0;
};

/// The node's local state store (RocksDB): per hosted partition, aggregate
/// snapshots and a checkpoint, written together. Not durable by itself
/// (the log is the truth); a lost write only means a longer tail to replay.
/// Calls block: use it from a detached actor or a dedicated thread.
class state_store {
public:
  [[nodiscard]] static result<std::unique_ptr<state_store>>
  open(const std::string& path);

  ~state_store();

  [[nodiscard]] result<std::optional<partition_checkpoint>>
  checkpoint(const topic_partition& tp);

  [[nodiscard]] result<std::optional<aggregate_snapshot>>
  load(const topic_partition& tp, const std::string& id);

  /// Writes `snapshots` and, if given, the checkpoint, atomically.
  [[nodiscard]] std::optional<error>
  write(const topic_partition& tp,
        const std::vector<aggregate_snapshot>& snapshots,
        std::optional<partition_checkpoint> cp);

  /// Every snapshot of a partition, ordered by id.
  [[nodiscard]] result<std::vector<aggregate_snapshot>>
  all(const topic_partition& tp);

  /// Forgets a partition (before a rebuild from the log).
  [[nodiscard]] std::optional<error> drop(const topic_partition& tp);

  struct impl;

private:
  explicit state_store(std::unique_ptr<impl> d);
  std::unique_ptr<impl> impl_;
};

} // namespace moim::infra
