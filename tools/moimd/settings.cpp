#include "tools/moimd/settings.hpp"

#include "projections/read_side_config.hpp"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace moim::moimd {

namespace {

infra::config_schema<settings> make_schema() {
  infra::config_schema<settings> schema;
  schema.add("server", &settings::server, infra::http_server_keys())
    .add("log", &settings::log, infra::log_keys())
    .add("kafka", &settings::eventlog, infra::kafka_keys())
    .add("eventlog", &settings::eventlog, infra::eventlog_keys())
    .add("hosting", &settings::hosting, actors::hosting_keys())
    .add("auth", &settings::auth, gateway::auth_keys())
    .add("websocket", &settings::gateway, gateway::websocket_keys())
    .add("websocket", &settings::websocket, infra::websocket_keys())
    .add("notifications", &settings::gateway, gateway::notification_keys())
    .add("postgres", &settings::postgres,
         infra::dependency_keys("postgres", "url", "PostgreSQL connection URI"))
    .add("redis", &settings::redis,
         infra::dependency_keys("redis", "url", "Redis URL redis://host:port"))
    .add("search", &settings::search,
         infra::dependency_keys(
           "search", "url", "OpenSearch/Elasticsearch URL http://host:port"))
    .add("search", &settings::read_side, projections::synonym_keys())
    .add("projections", &settings::read_side, projections::read_side_keys())
    .add("node", &settings::node, node_keys())
    .add("readiness", &settings::readiness, infra::readiness_keys());
  return schema;
}

} // namespace

settings::settings() {
  server.port = 8080; // the HTTP server's own default is any free port
}

const infra::config_schema<settings>& settings_schema() {
  static const auto schema = make_schema();
  return schema;
}

std::string instance_id(const settings& cfg) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0)
    std::snprintf(host, sizeof(host), "moimd");
  auto path = std::filesystem::absolute(cfg.hosting.state_path).string();
  return std::string{host} + ":" + path;
}

} // namespace moim::moimd
