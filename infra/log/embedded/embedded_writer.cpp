#include "infra/log/embedded/embedded_writer.hpp"

#include <rocksdb/write_batch.h>

namespace moim::infra {

embedded_writer::embedded_writer(std::shared_ptr<embedded_log::state> st,
                                 write_target_ptr target,
                                 std::uint64_t generation)
  : state_(std::move(st)), target_(std::move(target)), generation_(generation),
    partitions_(state_->options.topics.at(target_->where.topic)),
    batcher_(state_->options.commit,
             [this](const std::vector<commit_item>& group) {
               return split_positions(group, commit(group));
             }) {
  // nop
}

open_append_ptr
embedded_writer::append_at(std::vector<events::event_envelope> batch,
                           write_epoch at, append_callback done) {
  if (auto misrouted = check_routing(batch, target_->where, partitions_)) {
    target_->refuse(done, std::move(*misrouted));
    return nullptr;
  }
  return batcher_.append(target_, std::move(batch), at, std::move(done));
}

bool embedded_writer::extend(const open_append_ptr& open,
                             std::vector<events::event_envelope>& more) {
  return !check_routing(more, target_->where, partitions_)
         && batcher_.extend(open, more);
}

result<std::vector<events::log_position>>
embedded_writer::commit(const std::vector<commit_item>& group) {
  const auto& where = target_->where;
  // The partition lock is held across the synced write: it keeps offsets
  // dense and makes fencing exact (a newer writer cannot interleave).
  std::lock_guard<std::mutex> partition_guard{
    *state_->partition_locks.at(where)};
  std::int64_t next = 0;
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    if (target_->released)
      return error{errc::rejected,
                   where.text()
                     + " is no longer this member's: the group gave it to "
                       "another; this writer can no longer append"};
    if (state_->writer_gen[where] != generation_)
      return error{errc::rejected, "fenced: a newer writer owns " + where.text()
                                     + "; this writer can no longer append"};
    next = state_->end[where];
  }
  rocksdb::WriteBatch wb;
  std::vector<events::log_position> positions;
  for (const auto& item : group) {
    for (const auto& e : item.events) {
      wb.Put(record_key(where, next), events::to_record_json(e));
      positions.push_back({where.partition, events::log_offset{next}});
      ++next;
    }
  }
  wb.Put(end_key(where), encode_offset(next));
  rocksdb::WriteOptions wo;
  wo.sync = true; // acknowledged means on disk
  auto status = state_->db->Write(wo, &wb);
  if (!status.ok())
    return error{errc::unreachable, "embedded log write to " + where.text()
                                      + " failed: " + status.ToString()};
  std::lock_guard<std::mutex> guard{state_->mtx};
  state_->end[where] = next;
  return positions;
}

std::unique_ptr<partition_writer>
open_embedded_writer(const std::shared_ptr<embedded_log::state>& st,
                     write_target_ptr target) {
  const auto& tp = target->where;
  std::lock_guard<std::mutex> partition_guard{*st->partition_locks.at(tp)};
  std::uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> guard{st->mtx};
    generation = ++st->writer_gen[tp];
  }
  return std::make_unique<embedded_writer>(st, std::move(target), generation);
}

} // namespace moim::infra
