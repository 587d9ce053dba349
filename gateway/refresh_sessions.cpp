#include "gateway/refresh_sessions.hpp"

#include "infra/auth/tokens.hpp"

#include <sodium.h>

namespace moim::gateway {

namespace {

/// Where a token lives in Redis: a BLAKE2b hash of it, so that what Redis
/// holds cannot be used as a token.
std::string redis_key(const std::string& token) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof(hash),
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
  return std::string{"moim:refresh:"} + hex;
}

} // namespace

refresh_sessions::refresh_sessions(std::chrono::seconds lifetime,
                                   std::shared_ptr<infra::redis_client> redis)
  : lifetime_(lifetime), redis_(std::move(redis)) {
  // nop
}

infra::result<std::string> refresh_sessions::open(const std::string& user) {
  auto token = infra::random_token();
  if (redis_) {
    auto set = redis_->command({"SET", redis_key(token), user, "EX",
                                std::to_string(lifetime_.count()), "NX"});
    if (!set)
      return set.err();
    return token;
  }
  std::lock_guard<std::mutex> guard{mtx_};
  tokens_[token] = {user, std::chrono::steady_clock::now() + lifetime_};
  return token;
}

infra::result<std::optional<std::string>>
refresh_sessions::take(const std::string& token) {
  if (redis_) // GETDEL: of two concurrent rotations, one gets the user
    return redis_->command({"GETDEL", redis_key(token)});
  std::lock_guard<std::mutex> guard{mtx_};
  auto found = tokens_.find(token);
  if (found == tokens_.end())
    return std::optional<std::string>{};
  auto user = found->second.user;
  bool expired = found->second.expires <= std::chrono::steady_clock::now();
  tokens_.erase(found);
  return expired ? std::optional<std::string>{} : std::optional{user};
}

infra::result<std::optional<std::pair<std::string, std::string>>>
refresh_sessions::rotate(const std::string& token) {
  using rotated = std::optional<std::pair<std::string, std::string>>;
  auto user = take(token);
  if (!user)
    return user.err();
  if (!*user)
    return rotated{};
  auto next = open(**user);
  if (!next)
    return next.err();
  return rotated{std::pair{**user, *next}};
}

infra::result<bool> refresh_sessions::revoke(const std::string& token) {
  auto user = take(token);
  if (!user)
    return user.err();
  return user->has_value();
}

} // namespace moim::gateway
