#pragma once

#include "infra/error.hpp"
#include "infra/redis/redis_client.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace moim::gateway {

/// Refresh tokens kept server-side: issued at login, rotated on use (the
/// old one stops working), revoked at logout, expiring after `lifetime`.
/// With a Redis client they live in Redis (nodes share them; a restart
/// keeps them), stored under a hash of the token, never the token itself;
/// without one, in this process's memory. The Redis calls block: use from
/// the blocking pool.
class refresh_sessions {
public:
  explicit refresh_sessions(std::chrono::seconds lifetime,
                            std::shared_ptr<infra::redis_client> redis
                            = nullptr);

  /// A new refresh token for `user`.
  [[nodiscard]] infra::result<std::string> open(const std::string& user);

  /// Exchanges `token` for a new one: (user, new token), or nothing when
  /// the token is unknown, used or expired.
  [[nodiscard]] infra::result<
    std::optional<std::pair<std::string, std::string>>>
  rotate(const std::string& token);

  /// Forgets `token`; whether it was known.
  infra::result<bool> revoke(const std::string& token);

private:
  struct entry {
    std::string user;
    std::chrono::steady_clock::time_point expires;
  };

  [[nodiscard]] infra::result<std::optional<std::string>>
  take(const std::string& token);

  std::chrono::seconds lifetime_;
  std::shared_ptr<infra::redis_client> redis_;
  std::mutex mtx_;
  std::unordered_map<std::string, entry> tokens_;
};

} // namespace moim::gateway
