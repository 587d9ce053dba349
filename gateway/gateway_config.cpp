#include "gateway/gateway_config.hpp"

namespace moim::gateway {

infra::config_keys<auth_options> auth_keys() {
  using options = auth_options;
  return {
    infra::text<options>("jwt_secret",
                         "HS256 secret of access tokens (never logged); "
                         "empty: random per process",
                         &options::jwt_secret),
    infra::integer<options>("access_ttl_s",
                            "lifetime of an access token, seconds",
                            &options::access_ttl, 1, 86400),
    infra::integer<options>(
      "refresh_ttl_s", "lifetime of a refresh token, seconds",
      &options::refresh_ttl, 60, std::int64_t{365} * 86400),
  };
}

infra::config_keys<gateway_options> websocket_keys() {
  using options = gateway_options;
  return {
    infra::integer<options>(
      "messages_per_second",
      "frames a connection may send per second, on average",
      [](auto& o) -> auto& { return o.websocket.messages_per_second; }, 1,
      100000),
    infra::integer<options>(
      "burst", "frames a connection may send at once (0: messages_per_second)",
      [](auto& o) -> auto& { return o.websocket.burst; }, 0, 100000),
    infra::integer<options>(
      "recent_per_room",
      "events kept per watched room for reconnecting clients (further back: "
      "the Postgres history)",
      [](auto& o) -> auto& { return o.fanout.recent_per_room; }, 1, 100000),
    infra::integer<options>(
      "history_most",
      "events a reconnecting client is caught up with from the Postgres "
      "history at most (further behind: recovery_impossible)",
      [](auto& o) -> auto& { return o.websocket.history_most; }, 0, 100000),
  };
}

infra::config_keys<gateway_options> notification_keys() {
  using options = gateway_options;
  return {
    infra::integer<options>(
      "heartbeat_s", "seconds between SSE heartbeats",
      [](auto& o) -> auto& { return o.notifications.heartbeat; }, 1, 3600),
    infra::integer<options>(
      "kept_per_user",
      "notifications kept per user for Last-Event-ID resumption",
      [](auto& o) -> auto& { return o.hub.kept_per_user; }, 1, 100000),
  };
}

} // namespace moim::gateway
