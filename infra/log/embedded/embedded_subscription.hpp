#pragma once

#include "infra/log/embedded/embedded_state.hpp"

#include <map>

namespace moim::infra {

/// A member of an in-process consumer group of the embedded log. Partitions
/// are dealt round-robin over the members in join order; a member learns of
/// changes (and calls its listener) at its next poll. Positions start at the
/// beginning of each partition.
class embedded_subscription final : public group_subscription {
public:
  embedded_subscription(std::shared_ptr<embedded_log::state> st,
                        std::string group, std::vector<std::string> topics,
                        rebalance_listener listener,
                        subscription_options options = {});
  ~embedded_subscription() override;

  result<std::vector<log_record>>
  poll(std::chrono::milliseconds timeout) override;

  std::vector<topic_partition> assignment() const override;

  /// In one process a new owner's writer fences the old one, as any newer
  /// writer does; a commit runs under the partition's lock, so nothing of
  /// the old owner's becomes visible after this returns.
  result<std::unique_ptr<partition_writer>>
  open_writer(const topic_partition& where) override;

private:
  void rebalance();

  std::shared_ptr<embedded_log::state> state_;
  std::string group_;
  std::vector<std::string> topics_;
  rebalance_listener listener_;
  bool fetch_records_;
  bad_record_policy bad_records_; ///< skip or deliver
  std::function<events::log_offset(const topic_partition&)> start_at_;
  std::uint64_t member_;
  std::uint64_t seen_generation_ = 0;
  std::map<topic_partition, std::int64_t> positions_; ///< assigned, next offset
  /// Of the writers opened through this member: released on revocation.
  member_targets writers_;
};

} // namespace moim::infra
