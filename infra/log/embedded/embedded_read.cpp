#include "infra/log/embedded/embedded_state.hpp"

#include <limits>

namespace moim::infra {

result<read_batch> read_partition(embedded_log::state& st,
                                  const topic_partition& where,
                                  events::log_offset from, std::size_t max,
                                  bad_record_policy policy) {
  read_batch out;
  out.next = from;
  auto end = record_key(where, std::numeric_limits<std::int64_t>::max());
  std::unique_ptr<rocksdb::Iterator> it{
    st.db->NewIterator(rocksdb::ReadOptions{})};
  for (it->Seek(record_key(where, from.value()));
       it->Valid() && out.records.size() < max
       && it->key().compare(rocksdb::Slice{end}) < 0;
       it->Next()) {
    auto key = it->key().ToString();
    auto offset = decode_offset(key.substr(key.size() - 8));
    log_record record{
      where.topic, {where.partition, events::log_offset{offset}}, {}, {}, {}};
    auto stored = events::from_record_json(it->value().ToString());
    std::optional<events::decode_error> problem;
    if (!stored) {
      problem = stored.err();
      problem->where = where.text() + "@" + std::to_string(offset);
    } else {
      record.stored = std::move(*stored);
      problem = decode_record(record);
    }
    if (problem) {
      if (policy == bad_record_policy::stop) {
        out.stopped = std::move(problem);
        return out;
      }
      if (policy == bad_record_policy::deliver) {
        record.decoded.clear();
        if (!stored)
          record.stored.payload = it->value().ToString();
        record.undecodable = std::move(problem);
        out.records.push_back(std::move(record));
      } else {
        out.skipped.push_back(std::move(*problem));
      }
    } else {
      out.records.push_back(std::move(record));
    }
    out.next = events::log_offset{offset + 1};
  }
  if (!it->status().ok())
    return error{errc::unreachable, "embedded log read of " + where.text()
                                      + " failed: " + it->status().ToString()};
  return out;
}

} // namespace moim::infra
