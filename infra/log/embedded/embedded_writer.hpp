#pragma once

#include "infra/log/embedded/embedded_state.hpp"

namespace moim::infra {

/// Writes one partition of the embedded log; see embedded_log.
class embedded_writer final : public partition_writer {
public:
  embedded_writer(std::shared_ptr<embedded_log::state> st, topic_partition tp,
                  std::uint64_t generation);

  void append(std::vector<events::event_envelope> batch,
              append_callback done) override;

  const topic_partition& where() const override {
    return where_;
  }

  writer_stats stats() const override {
    return batcher_.stats();
  }

private:
  result<std::vector<events::log_position>>
  commit(const std::vector<const std::vector<events::event_envelope>*>& group);

  std::shared_ptr<embedded_log::state> state_;
  topic_partition where_;
  std::uint64_t generation_;
  int partitions_;
  group_commit batcher_; // last: its thread uses the members above
};

} // namespace moim::infra
