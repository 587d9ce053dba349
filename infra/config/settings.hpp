#pragma once

#include <cstdint>
#include <string>

namespace moim::infra {

/// Everything moimd can be configured with. Each field has one key in the
/// schema (config_schema.cpp), which names it in TOML (`[server] port`), in
/// the environment (`MOIM_SERVER_PORT`) and on the command line
/// (`--server.port`).
struct settings {
  struct server_settings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    int threads = 2;
    std::int64_t max_body_bytes = 1 << 20;
    int header_timeout_ms = 10000; ///< also a keep-alive connection's idle
    int body_timeout_ms = 30000;
    int max_connections_per_ip = 256;
  } server;

  struct log_settings {
    std::string level = "info";
    std::string format = "text";
  } log;

  /// An external dependency: where it is, and whether readiness needs it.
  /// An empty url means "not configured": the part of Moim that needs it is
  /// off (or, for Kafka, the embedded log is used).
  struct dependency {
    std::string url;
    bool required = true;
  };

  dependency kafka; ///< url: a bootstrap broker list, host:port[,host:port]
  struct kafka_settings {
    int partitions = 12;
    int replication_factor = 3; ///< clamped to the broker count, with a warning
    std::string transactional_id_prefix = "moim";
  } kafka_topics;

  /// The event log, Kafka's or the embedded one.
  struct eventlog_settings {
    std::string path = "data/eventlog"; ///< the embedded log's folder
    int linger_us = 0;                  ///< group commit: wait for company
    int max_batch_events = 1000;        ///< group commit: events per commit
  } eventlog;
  dependency postgres; ///< url: a libpq connection URI
  dependency redis;    ///< url: redis://host:port
  dependency search;   ///< url: http://host:port of OpenSearch/Elasticsearch

  /// The write side: aggregates hosted on the partitions this node owns.
  struct hosting_settings {
    std::string state_path = "data/state"; ///< the local state store
    std::string group = "moim-write-side"; ///< consumer group of the hosts
    int max_live_aggregates = 10000;       ///< per partition, LRU passivated
  } hosting;

  /// Sign-in: access tokens (JWT HS256) and refresh tokens.
  struct auth_settings {
    std::string jwt_secret; ///< empty: a random one (tokens die on restart)
    int access_ttl_s = 900;
    int refresh_ttl_s = 14 * 24 * 3600;
  } auth;

  /// /v1/ws
  struct websocket_settings {
    int messages_per_second = 20; ///< per connection
    int max_frame_bytes = 64 * 1024;
    /// Above what a room batch (2,000 events) makes; more: dropped.
    int max_queued_bytes = 4 << 20;
  } websocket;

  /// /v1/notifications/stream and notifications on /v1/ws
  struct notification_settings {
    int heartbeat_s = 15;    ///< SSE comment lines this often
    int kept_per_user = 100; ///< for Last-Event-ID resumption
  } notifications;

  struct readiness_settings {
    int timeout_ms = 2000;
  } readiness;
};

} // namespace moim::infra
