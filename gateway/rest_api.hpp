#pragma once

#include "gateway/command_bridge.hpp"
#include "gateway/refresh_sessions.hpp"
#include "infra/auth/tokens.hpp"
#include "infra/http/router.hpp"
#include "projections/read_side.hpp"

#include <functional>

namespace moim::gateway {

/// What the REST handlers use.
struct rest_context {
  command_bridge& bridge;
  const infra::token_issuer& tokens;
  refresh_sessions& sessions;
  /// Runs blocking work (argon2id) away from the I/O threads.
  std::function<void(std::function<void()>)> offload;
  /// The read models (history, my rooms, search); null, or a store not
  /// configured, and those queries answer 503.
  std::shared_ptr<projections::read_side> reads;
};

/// The REST API under /v1: users and sessions, rooms, messages, schedules.
/// JSON in and out; errors as {"error":{"code","message"}}. Every route but
/// sign-up and login needs "Authorization: Bearer <access token>".
void add_rest_routes(infra::router& routes, rest_context ctx);

} // namespace moim::gateway
