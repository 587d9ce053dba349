#pragma once

#include "infra/log/event_log.hpp"

#include <map>
#include <string>
#include <vector>

namespace moim::projections {

/// Where a projection goes on in each partition: the offset of the next
/// record it applies (a partition it has applied nothing of is absent).
using checkpoints = std::map<infra::topic_partition, events::log_offset>;

/// What a runner hands a projection at once: records in log order per
/// partition, and for each partition among them the checkpoint it moves
/// from (what the store held when the batch was read) and to.
struct batch {
  struct range {
    events::log_offset from;
    events::log_offset next;
  };
  std::vector<infra::log_record> records;
  std::map<infra::topic_partition, range> ranges;
};

/// What came of applying a batch.
enum class applied {
  /// The records' effects and the new checkpoints are in the store.
  done,
  /// Nothing: a checkpoint in the store is no longer where the batch moves
  /// from (another runner applied those records). The runner reloads.
  moved_on,
};

/// A read model built from the log: its store keeps its checkpoints, and a
/// batch's effects and checkpoints are written together (one store
/// transaction), so that each record is applied exactly once whatever
/// crashes. Called from one runner thread; blocking is expected.
class projection {
public:
  virtual ~projection() = default;

  /// "postgres": names its consumer group, metrics and checkpoints.
  [[nodiscard]] virtual const std::string& name() const = 0;

  [[nodiscard]] virtual std::vector<std::string> topics() const = 0;

  /// The checkpoints its store holds (migrating the store first if need be).
  [[nodiscard]] virtual infra::result<checkpoints> load_checkpoints() = 0;

  /// Applies `b` and moves its checkpoints, atomically. An error leaves the
  /// store as it was; the runner retries.
  [[nodiscard]] virtual infra::result<applied> apply(const batch& b) = 0;
};

} // namespace moim::projections
