#pragma once

#include "projections/read_side.hpp"

#include "actors/write_side.hpp"
#include "gateway/command_bridge.hpp"
#include "gateway/notification_hub.hpp"
#include "gateway/notification_stream.hpp"
#include "gateway/refresh_sessions.hpp"
#include "gateway/room_fanout.hpp"
#include "gateway/websocket_gateway.hpp"
#include "infra/auth/tokens.hpp"
#include "infra/http/event_stream.hpp"
#include "infra/http/router.hpp"
#include "infra/http/websocket.hpp"

#include <caf/actor_system.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace moim::infra {
class metrics_registry;
} // namespace moim::infra

namespace moim::gateway {

struct gateway_options {
  websocket_gateway_options websocket;
  notification_stream_options notifications;
  fanout_options fanout;
  std::size_t fanout_shards = 0; ///< fan-out actors (0: one per core)
  hub_options hub;
  std::chrono::seconds sweep_interval{1}; ///< fan-out and hub sweeps
};

/// The gateway as one component: its node-wide actors (room fan-out,
/// notification hub) registered as listeners of the write side's
/// committed events, the REST routes, and the accept functions of the
/// WebSocket and SSE endpoints. It knows every connection actor it
/// spawned, so stop() ends them all (nothing is left for the actor
/// system to wait on).
class gateway {
public:
  /// Registers with `ws`: construct before ws->start().
  gateway(caf::actor_system& sys, std::shared_ptr<actors::write_side> ws,
          const infra::token_issuer& tokens, refresh_sessions& sessions,
          std::function<void(std::function<void()>)> offload,
          gateway_options options = {},
          std::shared_ptr<projections::read_side> reads = nullptr);

  /// stop().
  ~gateway();

  gateway(const gateway&) = delete;
  gateway& operator=(const gateway&) = delete;

  void add_routes(infra::router& routes);
  [[nodiscard]] infra::websocket_accept_fn websocket();
  [[nodiscard]] infra::event_stream_accept_fn event_stream();
  void add_metrics(infra::metrics_registry& metrics);

  /// Ends every connection actor, then the fan-out and the hub, and waits
  /// for them. Call after the HTTP server stopped taking connections.
  void stop();

  [[nodiscard]] notification_hub_actor hub() const {
    return hub_;
  }

  struct connections;

private:
  /// Registers each connection actor spawned (or ends it after stop()).
  [[nodiscard]] std::function<void(caf::actor)> track();

  caf::actor_system& sys_;
  std::shared_ptr<actors::write_side> ws_;
  const infra::token_issuer& tokens_;
  refresh_sessions& sessions_;
  std::function<void(std::function<void()>)> offload_;
  std::shared_ptr<projections::read_side> reads_;
  gateway_options options_;
  command_bridge bridge_;
  fanout_shards fanouts_;
  notification_hub_actor hub_;
  caf::actor sweeper_;
  std::shared_ptr<connections> connections_;
};

} // namespace moim::gateway
