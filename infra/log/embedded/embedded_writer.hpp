#pragma once

#include "infra/log/embedded/embedded_state.hpp"

namespace moim::infra {

/// Writes one partition of the embedded log; see embedded_log.
class embedded_writer final : public partition_writer {
public:
  embedded_writer(std::shared_ptr<embedded_log::state> st,
                  write_target_ptr target, std::uint64_t generation);

  open_append_ptr append_at(std::vector<events::event_envelope> batch,
                            write_epoch at, append_callback done) override;

  bool extend(const open_append_ptr& open,
              std::vector<events::event_envelope>& more) override;

  write_epoch epoch() const override {
    return target_->epoch();
  }

  const topic_partition& where() const override {
    return target_->where;
  }

  writer_stats stats() const override {
    return batcher_.stats();
  }

private:
  result<std::vector<events::log_position>>
  commit(const std::vector<commit_item>& group);

  std::shared_ptr<embedded_log::state> state_;
  write_target_ptr target_;
  std::uint64_t generation_;
  int partitions_;
  group_commit batcher_; // last: its thread uses the members above
};

/// A new writer of `target`'s partition, which fences the one before it;
/// waits for a commit of that one in flight. It commits nothing once
/// `target` is released.
[[nodiscard]] std::unique_ptr<partition_writer>
open_embedded_writer(const std::shared_ptr<embedded_log::state>& st,
                     write_target_ptr target);

} // namespace moim::infra
