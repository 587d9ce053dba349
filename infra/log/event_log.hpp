#pragma once

#include "events/codec.hpp"
#include "events/envelope.hpp"
#include "events/named_type.hpp"
#include "infra/error.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace moim::infra {

struct topic_partition {
  std::string topic;
  events::partition_id partition;

  /// "moim.rooms/3"
  [[nodiscard]] std::string text() const;

  friend bool operator==(const topic_partition& x, const topic_partition& y) {
    return x.topic == y.topic && x.partition == y.partition;
  }
  friend bool operator<(const topic_partition& x, const topic_partition& y) {
    return x.topic != y.topic ? x.topic < y.topic : x.partition < y.partition;
  }
};

/// One stored record: where it is, the envelope as stored, and its events
/// upcast to current versions and typed (none, one or several).
struct log_record {
  std::string topic;
  events::log_position position;
  events::event_envelope stored;
  std::vector<events::decoded_event> decoded;
  /// Set on a record that could not be decoded, handed over only under
  /// bad_record_policy::deliver: `decoded` is empty and `stored` holds
  /// what could be read (when not even the envelope could, its payload is
  /// the record's raw text as a JSON string).
  std::optional<events::decode_error> undecodable;
};

/// What a reader does with a record it cannot decode.
enum class bad_record_policy {
  /// Return what was read before it and report it in read_batch::stopped.
  stop,
  /// Leave it out and report it in read_batch::skipped.
  skip,
  /// Hand it over among the records, marked (log_record::undecodable), for
  /// a reader that parks what it cannot use (a projection's dead letters).
  deliver,
};

struct read_batch {
  std::vector<log_record> records;
  std::vector<events::decode_error>
    skipped; ///< each names topic/partition@offset
  std::optional<events::decode_error> stopped;
  events::log_offset next; ///< where the next read continues
};

using append_result = result<std::vector<events::log_position>>;

/// What a writer has committed so far: groups (transactions or synced
/// writes) and events; events / commits is the mean group size.
struct writer_stats {
  std::uint64_t commits = 0;
  std::uint64_t events = 0;
};
using append_callback = std::function<void(append_result)>;

/// How many appends to a writer have failed so far. A caller that appends
/// a batch while earlier ones it decided it after are still in flight
/// appends it at the epoch the first of them was appended at: once any
/// append fails the epoch moves on, and every later append of an older
/// epoch is refused, so the log never holds a batch without the batches it
/// followed.
using write_epoch = events::named_type<std::uint64_t, struct write_epoch_tag>;

/// An append that no group commit has taken yet: partition_writer::extend
/// may add to it. Opaque; its writer knows what it is.
class open_append {
public:
  virtual ~open_append() = default;
};
using open_append_ptr = std::shared_ptr<open_append>;

/// The single writer of one partition. Appends from many callers are group
/// committed: they share one transaction, bounded by count and a short
/// linger, and each caller learns its own result. A batch is appended
/// entirely or not at all.
class partition_writer {
public:
  virtual ~partition_writer() = default;

  /// Appends `batch` atomically unless an append failed since `at` (then
  /// it is refused); `done` runs once, on a writer thread, with the
  /// position of each event. Every event must belong to this partition.
  /// Appends are written in the order they were made. The handle lets the
  /// caller add to the batch until a commit takes it (null when it was
  /// refused at once).
  virtual open_append_ptr append_at(std::vector<events::event_envelope> batch,
                                    write_epoch at, append_callback done)
    = 0;

  /// Adds `more` at the end of `open`'s batch if no commit has taken it
  /// yet: its callback then answers for all of it (the positions of its
  /// events, then of these), and all of it commits or fails as one. False,
  /// with nothing added and `more` untouched, when a commit has taken it
  /// (append `more` on its own then), when it would pass the group
  /// bound, or when `more` belongs elsewhere.
  [[nodiscard]] virtual bool extend(const open_append_ptr& open,
                                    std::vector<events::event_envelope>& more)
    = 0;

  /// Appends `batch` at the current epoch (it follows no batch in flight).
  void append(std::vector<events::event_envelope> batch, append_callback done) {
    static_cast<void>(append_at(std::move(batch), epoch(), std::move(done)));
  }

  /// The epoch now: how many appends have failed.
  [[nodiscard]] virtual write_epoch epoch() const = 0;

  /// append() and wait for its result.
  [[nodiscard]] append_result
  append_sync(std::vector<events::event_envelope> batch);

  [[nodiscard]] virtual const topic_partition& where() const = 0;

  [[nodiscard]] virtual writer_stats stats() const = 0;
};

/// Called inside group_subscription::poll when partitions come and go.
/// `lost`: taken away without an orderly revocation (the session expired,
/// another member owns them already); revoked is called when it is unset.
struct rebalance_listener {
  std::function<void(const std::vector<topic_partition>&)> assigned;
  std::function<void(const std::vector<topic_partition>&)> revoked;
  std::function<void(const std::vector<topic_partition>&)> lost;
};

/// How a member joins its group.
struct subscription_options {
  /// Static membership (Kafka's group.instance.id): a member that restarts
  /// with the same id gets its partitions back at once, without waiting
  /// for its old session to expire. Empty: dynamic membership.
  std::string instance_id;
  /// False: the member only takes part in the assignment (its partitions
  /// are paused, poll() returns no records), e.g. the write side, whose
  /// hosts read their tails themselves.
  bool fetch_records = true;
  /// Kafka: a member that does not poll for this long is dropped from the
  /// group (max.poll.interval.ms, and session.timeout.ms at most this); 0:
  /// Kafka's defaults (5 min, 45 s).
  std::chrono::milliseconds max_poll_interval{0};
  /// Kafka: a member whose heartbeats stop (its process died) for this long
  /// loses its partitions (session.timeout.ms; heartbeats go on while it
  /// works between polls); 0: as max_poll_interval sets it, else Kafka's
  /// default (45 s).
  std::chrono::milliseconds session_timeout{0};
  /// Where a partition this member is given starts, asked inside poll()
  /// as it is assigned: for a reader that keeps its position beside what
  /// it wrote (a projection's checkpoint in its target store) rather than
  /// in the group. Unset: from the group's committed offsets, else the
  /// start. Then nothing is committed to the group either.
  std::function<events::log_offset(const topic_partition&)> start_at;
  /// What poll() does with a record it cannot decode: skip it (with a
  /// warning) or deliver it marked. `stop` is not for groups.
  bad_record_policy bad_records = bad_record_policy::skip;
};

/// Membership of a consumer group: partitions are spread over the members.
class group_subscription {
public:
  virtual ~group_subscription() = default;

  /// Committed records of the assigned partitions, in order per partition.
  /// Rebalance callbacks run inside this call.
  [[nodiscard]] virtual result<std::vector<log_record>>
  poll(std::chrono::milliseconds timeout) = 0;

  [[nodiscard]] virtual std::vector<topic_partition> assignment() const = 0;

  /// The writer of `where`, which the group has assigned to this member,
  /// for as long as it stays assigned here: once the group moves it to
  /// another member (revoked, lost, or this member is a zombie the group
  /// has moved on from, whatever it believes), its appends are refused. It
  /// opens once nothing an earlier owner appended can still become
  /// visible, so the tail read after it is the whole tail. Call it on the
  /// thread that polls. Kafka: the member's few shared transactional
  /// producers, fenced through the group's generation (KIP-447), which
  /// needs static membership (subscription_options::instance_id).
  [[nodiscard]] virtual result<std::unique_ptr<partition_writer>>
  open_writer(const topic_partition& where) = 0;
};

/// The event log: Kafka in production, RocksDB embedded for a single node.
/// Both pass the same conformance suite (tests/integration/log_*).
class event_log {
public:
  virtual ~event_log() = default;

  /// Becomes the writer of `where`, fencing any earlier writer of it.
  [[nodiscard]] virtual result<std::unique_ptr<partition_writer>>
  open_writer(const topic_partition& where) = 0;

  /// Up to `max` committed records from `from` on.
  [[nodiscard]] virtual result<read_batch>
  read(const topic_partition& where, events::log_offset from, std::size_t max,
       bad_record_policy policy = bad_record_policy::stop)
    = 0;

  /// The offset after the last committed record.
  [[nodiscard]] virtual result<events::log_offset>
  end_offset(const topic_partition& where) = 0;

  [[nodiscard]] virtual int partition_count(const std::string& topic) const = 0;

  /// Kafka's default partitioner (murmur2 of the key), so producers outside
  /// Moim agree on where an aggregate lives.
  [[nodiscard]] events::partition_id
  partition_of(const std::string& topic, const events::aggregate_id& id) const;

  [[nodiscard]] virtual result<std::unique_ptr<group_subscription>>
  subscribe(const std::string& group, const std::vector<std::string>& topics,
            rebalance_listener listener, subscription_options options)
    = 0;

  /// subscribe() with the default options.
  [[nodiscard]] result<std::unique_ptr<group_subscription>>
  subscribe(const std::string& group, const std::vector<std::string>& topics,
            rebalance_listener listener) {
    return subscribe(group, topics, std::move(listener), {});
  }
};

/// An `invalid` error when an event of `batch` belongs to another partition
/// than `where` (of a topic with `partitions` partitions).
[[nodiscard]] std::optional<error>
check_routing(const std::vector<events::event_envelope>& batch,
              const topic_partition& where, int partitions);

/// murmur2(key) mod partitions, exactly as Kafka's Java client computes it.
[[nodiscard]] events::partition_id murmur2_partition(const std::string& key,
                                                     int partitions);

/// Decodes `stored` into `record.decoded`; on failure the error names
/// topic/partition@offset.
[[nodiscard]] std::optional<events::decode_error>
decode_record(log_record& record);

} // namespace moim::infra
