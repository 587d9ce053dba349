#pragma once

#include "infra/log/event_log.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace moim::test {

/// Opens the embedded (RocksDB) log in a fresh temporary folder; reopening
/// uses the same folder.
struct embedded_factory {
  embedded_factory();
  ~embedded_factory();

  [[nodiscard]] std::unique_ptr<infra::event_log>
  open(const std::map<std::string, int>& topics);

  /// A topic name; the folder is fresh, so any name will do.
  [[nodiscard]] std::string topic(const std::string& name);

  std::string dir;
};

/// Opens the Kafka log on the local stack's broker (MOIM_KAFKA_BROKERS);
/// topics get unique names, so each test starts from empty partitions.
struct kafka_factory {
  kafka_factory();

  [[nodiscard]] std::unique_ptr<infra::event_log>
  open(const std::map<std::string, int>& topics);

  [[nodiscard]] std::string topic(const std::string& name);

  std::string brokers;
  std::string prefix; ///< transactional.id prefix, unique per test
};

/// An aggregate id whose events land in `partition` (found by trying
/// "<stem>-0", "<stem>-1", ...).
[[nodiscard]] events::aggregate_id aggregate_in(const infra::event_log& log,
                                                const std::string& topic,
                                                events::partition_id partition,
                                                const std::string& stem);

/// A room.message_posted event of `aggregate` whose text is `text`.
[[nodiscard]] events::event_envelope
message_event(const events::aggregate_id& aggregate, std::uint64_t seq,
              const std::string& text);

/// The text of a record holding a room.message_posted.
[[nodiscard]] std::string text_of(const infra::log_record& record);

/// Every record of a partition, from the start.
[[nodiscard]] std::vector<infra::log_record>
read_all(infra::event_log& log, const infra::topic_partition& tp);

/// A member of `group` that writes (static membership) and tracks what it
/// owns; `max_poll` bounds how long the group waits for it (0: Kafka's
/// default).
struct group_owner {
  group_owner(infra::event_log& log, const std::string& group,
              const std::string& topic, std::chrono::milliseconds max_poll);
  group_owner(const group_owner&) = delete;
  group_owner& operator=(const group_owner&) = delete;

  /// Polls until `done` (at most 90 s); fails the test otherwise.
  void poll_until(const std::function<bool()>& done);

  std::set<infra::topic_partition> owned;
  std::unique_ptr<infra::group_subscription> sub;
};

} // namespace moim::test
