#pragma once

#include "actors/write_side_config.hpp"
#include "gateway/gateway_config.hpp"
#include "infra/config/config_schema.hpp"
#include "infra/health/health_config.hpp"
#include "infra/http/server_config.hpp"
#include "infra/log/event_log_config.hpp"
#include "infra/logging/logging.hpp"
#include "projections/read_side.hpp"
#include "tools/moimd/roles.hpp"

#include <string>

namespace moim::moimd {

/// Everything moimd can be configured with: each component's options, as
/// that component declares them (its `*_keys()` beside its code), mounted
/// under one section each in settings_schema().
struct settings {
  settings();

  infra::http_server_options server;  ///< server.*
  infra::log_options log;             ///< log.*
  infra::event_log_config eventlog;   ///< kafka.* and eventlog.*
  actors::hosting_options hosting;    ///< hosting.*
  gateway::auth_options auth;         ///< auth.*
  gateway::gateway_options gateway;   ///< websocket.* (rate), notifications.*
  infra::websocket_options websocket; ///< websocket.* (frame, queue)
  infra::dependency_options postgres; ///< postgres.*
  infra::dependency_options redis;    ///< redis.*
  infra::dependency_options search;   ///< search.*
  infra::readiness_options readiness; ///< readiness.*
  node_options node;                  ///< node.*
  projections::read_side_options
    read_side; ///< projections.*, search.synonyms_file
};

/// The keys of every component, in the order `--help` and the README list
/// them: `server.port` in TOML is `[server] port`, in the environment
/// `MOIM_SERVER_PORT`, on the command line `--server.port`.
[[nodiscard]] const infra::config_schema<settings>& settings_schema();

/// Kafka static membership id of this node: host name and state store
/// path, stable across restarts of the same node.
[[nodiscard]] std::string instance_id(const settings& cfg);

} // namespace moim::moimd
