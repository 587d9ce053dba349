#include "actors/gateway/refresh_sessions.hpp"

#include "infra/auth/tokens.hpp"

namespace moim::actors {

refresh_sessions::refresh_sessions(std::chrono::seconds lifetime)
  : lifetime_(lifetime) {
  // nop
}

std::string refresh_sessions::open(const std::string& user) {
  auto token = infra::random_token();
  std::lock_guard<std::mutex> guard{mtx_};
  tokens_[token] = {user, std::chrono::steady_clock::now() + lifetime_};
  return token;
}

std::optional<std::pair<std::string, std::string>>
refresh_sessions::rotate(const std::string& token) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto found = tokens_.find(token);
  if (found == tokens_.end())
    return std::nullopt;
  auto user = found->second.user;
  bool expired = found->second.expires <= std::chrono::steady_clock::now();
  tokens_.erase(found);
  if (expired)
    return std::nullopt;
  auto next = infra::random_token();
  tokens_[next] = {user, std::chrono::steady_clock::now() + lifetime_};
  return std::make_pair(user, next);
}

bool refresh_sessions::revoke(const std::string& token) {
  std::lock_guard<std::mutex> guard{mtx_};
  return tokens_.erase(token) != 0;
}

} // namespace moim::actors
