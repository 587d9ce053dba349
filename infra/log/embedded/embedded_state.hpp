#pragma once

#include "infra/log/embedded/embedded_log.hpp"

#include <rocksdb/db.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace moim::infra {

/// Internal to the embedded log: the database and the bookkeeping that its
/// writers and group subscriptions share.
struct embedded_log::state {
  embedded_log_options options;
  std::unique_ptr<rocksdb::DB> db;

  /// One per partition, held across a commit and while a writer opens, so
  /// fencing is exact and partitions commit in parallel.
  std::map<topic_partition, std::unique_ptr<std::mutex>> partition_locks;

  std::mutex mtx;                                      ///< guards what follows
  std::map<topic_partition, std::int64_t> end;         ///< next offset
  std::map<topic_partition, std::uint64_t> writer_gen; ///< newest writer

  // Consumer groups within this process: members in join order, and a
  // generation that changes whenever membership does.
  struct group_state {
    std::vector<std::uint64_t> members;
    std::uint64_t generation = 0;
  };
  std::map<std::string, group_state> groups;
  std::uint64_t next_member = 1;

  [[nodiscard]] bool has_partition(const topic_partition& tp) const;
};

/// Up to `max` records of `tp` from `from` on: embedded_log::read, shared
/// with group subscriptions.
[[nodiscard]] result<read_batch> read_partition(embedded_log::state& st,
                                                const topic_partition& tp,
                                                events::log_offset from,
                                                std::size_t max,
                                                bad_record_policy policy);

/// Keys: 'r' topic '\0' partition(4, big endian) offset(8, big endian) for
/// records, 'e' topic '\0' partition(4) for the end offset of a partition.
[[nodiscard]] std::string record_key(const topic_partition& tp,
                                     std::int64_t offset);
[[nodiscard]] std::string end_key(const topic_partition& tp);
[[nodiscard]] std::string encode_offset(std::int64_t offset);
[[nodiscard]] std::int64_t decode_offset(const std::string& bytes);

} // namespace moim::infra
