#pragma once

#include "gateway/gateway.hpp"
#include "infra/config/config_key.hpp"

#include <chrono>
#include <string>

namespace moim::gateway {

/// Sign-in: access tokens (JWT HS256) and refresh tokens.
struct auth_options {
  std::string jwt_secret; ///< empty: a random one (tokens die on restart)
  std::chrono::seconds access_ttl{900};
  std::chrono::seconds refresh_ttl{std::int64_t{14} * 24 * 3600};
};

/// moimd mounts them as `auth.*`: jwt_secret, access_ttl_s, refresh_ttl_s.
[[nodiscard]] infra::config_keys<auth_options> auth_keys();

/// moimd mounts them as `websocket.*`: messages_per_second, burst,
/// recent_per_room, history_most (the endpoint's frame and queue limits
/// are infra/http's).
[[nodiscard]] infra::config_keys<gateway_options> websocket_keys();

/// moimd mounts them as `notifications.*`: heartbeat_s, kept_per_user.
[[nodiscard]] infra::config_keys<gateway_options> notification_keys();

} // namespace moim::gateway
