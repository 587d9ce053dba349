#include "infra/log/embedded/embedded_writer.hpp"

#include <rocksdb/write_batch.h>

namespace moim::infra {

embedded_writer::embedded_writer(std::shared_ptr<embedded_log::state> st,
                                 topic_partition tp, std::uint64_t generation)
  : state_(std::move(st)), where_(std::move(tp)), generation_(generation),
    partitions_(state_->options.topics.at(where_.topic)),
    batcher_(state_->options.commit, [this](const auto& group) {
      return commit(group);
    }) {
  // nop
}

void embedded_writer::append(std::vector<events::event_envelope> batch,
                             append_callback done) {
  if (auto misrouted = check_routing(batch, where_, partitions_)) {
    done(std::move(*misrouted));
    return;
  }
  batcher_.append(std::move(batch), std::move(done));
}

result<std::vector<events::log_position>> embedded_writer::commit(
  const std::vector<const std::vector<events::event_envelope>*>& group) {
  // The partition lock is held across the synced write: it keeps offsets
  // dense and makes fencing exact (a newer writer cannot interleave).
  std::lock_guard<std::mutex> partition_guard{
    *state_->partition_locks.at(where_)};
  std::int64_t next = 0;
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    if (state_->writer_gen[where_] != generation_)
      return error{errc::rejected, "fenced: a newer writer owns "
                                     + where_.text()
                                     + "; this writer can no longer append"};
    next = state_->end[where_];
  }
  rocksdb::WriteBatch wb;
  std::vector<events::log_position> positions;
  for (const auto* batch : group) {
    for (const auto& e : *batch) {
      wb.Put(record_key(where_, next), events::to_record_json(e));
      positions.push_back({where_.partition, events::log_offset{next}});
      ++next;
    }
  }
  wb.Put(end_key(where_), encode_offset(next));
  rocksdb::WriteOptions wo;
  wo.sync = true; // acknowledged means on disk
  auto status = state_->db->Write(wo, &wb);
  if (!status.ok())
    return error{errc::unreachable, "embedded log write to " + where_.text()
                                      + " failed: " + status.ToString()};
  std::lock_guard<std::mutex> guard{state_->mtx};
  state_->end[where_] = next;
  return positions;
}

} // namespace moim::infra
