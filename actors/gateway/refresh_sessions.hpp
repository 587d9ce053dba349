#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace moim::actors {

/// Refresh tokens kept server-side: issued at login, rotated on use (the
/// old one stops working), revoked at logout, expiring after `lifetime`.
/// Kept in memory for now: a restart logs everybody out (a later issue moves
/// them to Redis so that nodes share them).
class refresh_sessions {
public:
  explicit refresh_sessions(std::chrono::seconds lifetime);

  /// A new refresh token for `user`.
  [[nodiscard]] std::string open(const std::string& user);

  /// Exchanges `token` for a new one; the user, or nothing when the token
  /// is unknown, used or expired.
  [[nodiscard]] std::optional<std::pair<std::string, std::string>>
  rotate(const std::string& token);

  /// Forgets `token`; whether it was known.
  bool revoke(const std::string& token);

private:
  struct entry {
    std::string user;
    std::chrono::steady_clock::time_point expires;
  };

  std::chrono::seconds lifetime_;
  std::mutex mtx_;
  std::unordered_map<std::string, entry> tokens_;
};

} // namespace moim::actors
