#pragma once

#include "infra/log/group_commit.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/kafka/kafka_txn_producer.hpp"

#include <map>
#include <memory>
#include <mutex>

namespace moim::infra {

/// How one member of a consumer group writes the partitions the group
/// gives it, the way Kafka Streams' exactly-once v2 does (KIP-447): a few
/// transactional producers shared by all its partitions
/// (transactional.id <prefix>-<group>-<instance>-<k>, so a restart of the
/// same instance fences its former self), instead of one per partition.
///
/// Fencing a member the group has moved on from: every transaction also
/// commits, to the group, the offsets it wrote, sent with the member's
/// group metadata (generation, member id, static instance id), and the
/// group coordinator refuses that commit from anyone but a current member
/// of the current generation, so the whole transaction aborts. The
/// metadata is read before the commit checks that the partition is still
/// assigned here; a revocation releases the partition before the member
/// rejoins, so metadata of a newer generation implies the release is
/// seen. A new owner opens its writer only once no transaction of an
/// earlier owner is open on the partition (its last stable offset has
/// reached its high watermark), so the tail it reads next is the whole
/// tail. Static membership is required: with it the coordinator always
/// checks the member, where a commit without a member id would pass.
class kafka_member_writers
  : public std::enable_shared_from_this<kafka_member_writers> {
public:
  /// `consumer` is the member's group consumer (for its metadata and its
  /// read_committed end offsets).
  [[nodiscard]] static result<std::shared_ptr<kafka_member_writers>>
  open(const kafka_log_options& options, std::shared_ptr<rd_kafka_t> consumer,
       const std::string& group, const std::string& instance_id,
       std::map<std::string, int> partitions);

  ~kafka_member_writers();

  kafka_member_writers(const kafka_member_writers&) = delete;
  kafka_member_writers& operator=(const kafka_member_writers&) = delete;

  /// A writer of `where` (assigned to this member now); waits, bounded by
  /// the transaction timeout, until no earlier owner's transaction is open
  /// on it.
  [[nodiscard]] result<std::unique_ptr<partition_writer>>
  open_writer(const topic_partition& where);

  /// The member lost these partitions: their writers commit no more.
  void release(const std::vector<topic_partition>& partitions);

  /// The membership ended: nothing commits any more.
  void close();

  struct lane; ///< one producer and the group commit that feeds it

private:
  kafka_member_writers(const kafka_log_options& options,
                       std::shared_ptr<rd_kafka_t> consumer,
                       std::map<std::string, int> partitions);

  [[nodiscard]] std::optional<error> wait_settled(const topic_partition& where);

  std::vector<append_result> commit(kafka_txn_producer& producer,
                                    const std::vector<commit_item>& group);

  kafka_log_options options_;
  std::shared_ptr<rd_kafka_t> consumer_;
  std::map<std::string, int> partitions_;
  kafka_handle probe_; ///< read_uncommitted: high watermarks
  member_targets targets_;
  std::atomic<bool> closed_{false};
  std::vector<std::unique_ptr<lane>>
    lanes_; // last: their threads use the above
};

} // namespace moim::infra
