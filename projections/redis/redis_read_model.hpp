#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace moim::infra {
class redis_client;
}

namespace moim::projections {

/// A room the user belongs to.
struct joined_room {
  std::string id;
  std::string name;
  bool is_public = true;
  bool direct = false;
  std::int64_t member_count = 0;
  std::uint64_t last_message = 0;
  std::int64_t joined_at_ms = 0;
};

/// Queries on the Redis read model (redis/keys.hpp). Thread-safe: a few
/// connections, each used by one query at a time. Blocking: call it off
/// the I/O threads and the actor scheduler.
class redis_read_model {
public:
  redis_read_model(std::string url, std::string prefix,
                   std::chrono::milliseconds timeout,
                   std::size_t connections = 2);
  ~redis_read_model();

  redis_read_model(const redis_read_model&) = delete;
  redis_read_model& operator=(const redis_read_model&) = delete;

  /// The rooms `user` belongs to, most recently joined first: two round
  /// trips whatever the user's age (the sorted set, then the rooms' hashes
  /// in one pipeline).
  [[nodiscard]] infra::result<std::vector<joined_room>>
  rooms_of(const std::string& user, std::size_t limit);

  /// The most searched terms of the last hour, with their counts.
  [[nodiscard]] infra::result<std::vector<std::pair<std::string, std::int64_t>>>
  trending(std::size_t limit);

  /// `user`'s last searches, newest first.
  [[nodiscard]] infra::result<std::vector<std::string>>
  recent_searches(const std::string& user);

  /// Who is online in `room` now, on any node (redis/presence.hpp), by
  /// user id in order: one sorted-set range, by expiry.
  [[nodiscard]] infra::result<std::vector<std::string>>
  online(const std::string& room);

private:
  class lease;
  std::string url_;
  std::string prefix_;
  std::chrono::milliseconds timeout_;
  std::size_t max_;
  std::mutex mtx_;
  std::vector<std::unique_ptr<infra::redis_client>> idle_;
};

} // namespace moim::projections
