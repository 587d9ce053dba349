#pragma once

#include "infra/log/event_log.hpp"

#include <memory>
#include <set>
#include <string>
#include <tuple>

namespace moim::projections {

/// An aggregate of one partition whose events a projection parks: once one
/// of its events is parked, the later ones are parked behind it, so the
/// read model never shows them out of order.
using parked_aggregate = std::tuple<std::string /*topic*/, int /*partition*/,
                                    std::string /*aggregate*/>;

[[nodiscard]] parked_aggregate parked_key(const infra::log_record& r);

/// A projection's dead letters: the records it could not apply (undecodable,
/// or refused by its store after the retries) and those parked behind them,
/// on a topic of their own (one partition), each a "projection.parked"
/// record holding the projection, where the record was (topic, partition,
/// offset), its aggregate and type, the reason, and the original payload.
/// The catalogue does not know that type: dead letters are read as
/// undecodable records (bad_record_policy::deliver), by operators' tools and
/// by load(). Parking is at least once: a crash after parking and before the
/// checkpoint moved parks the record again; (topic, partition, offset)
/// identifies it.
class dead_letters {
public:
  dead_letters(infra::event_log& log, std::string projection,
               std::string topic);
  ~dead_letters();

  dead_letters(const dead_letters&) = delete;
  dead_letters& operator=(const dead_letters&) = delete;

  /// Appends `r` with `reason`; blocks until the log took it.
  [[nodiscard]] std::optional<infra::error> park(const infra::log_record& r,
                                                 const std::string& reason);

  /// The aggregates the topic holds parked events of, for this projection.
  [[nodiscard]] infra::result<std::set<parked_aggregate>> load();

  [[nodiscard]] const std::string& topic() const noexcept {
    return topic_;
  }

private:
  infra::event_log& log_;
  std::string projection_;
  std::string topic_;
  std::unique_ptr<infra::partition_writer> writer_;
};

} // namespace moim::projections
