#include "infra/config/config_schema.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace moim::infra {

namespace {

using setter
  = std::function<std::optional<std::string>(settings&, std::string_view)>;
using shower = std::function<std::string(const settings&)>;

template<class Int>
std::optional<Int> parse_int(std::string_view text) {
  Int result{};
  auto [end, ec]
    = std::from_chars(text.data(), text.data() + text.size(), result);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return result;
}

// Keys are bound to fields through accessor lambdas so that nested structs
// need no member-pointer chains.
template<class Int, class Field>
config_key integer(std::string name, std::string help, Field field,
                   std::int64_t min, std::int64_t max) {
  setter assign
    = [field, min, max](settings& s,
                        std::string_view text) -> std::optional<std::string> {
    auto value = parse_int<std::int64_t>(text);
    if (!value)
      return "expected an integer, got '" + std::string{text} + "'";
    if (*value < min || *value > max)
      return "expected an integer in [" + std::to_string(min) + ", "
             + std::to_string(max) + "], got " + std::to_string(*value);
    field(s) = static_cast<Int>(*value);
    return std::nullopt;
  };
  shower show = [field](const settings& s) {
    auto copy = s; // fields are reached through mutable accessors
    return std::to_string(field(copy));
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

template<class Field>
config_key text(std::string name, std::string help, Field field) {
  setter assign =
    [field](settings& s, std::string_view value) -> std::optional<std::string> {
    field(s) = std::string{value};
    return std::nullopt;
  };
  shower show = [field](const settings& s) {
    auto copy = s; // fields are reached through mutable accessors
    return field(copy);
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

template<class Field>
config_key choice(std::string name, std::string help, Field field,
                  std::vector<std::string> choices) {
  setter assign
    = [field, choices](settings& s,
                       std::string_view value) -> std::optional<std::string> {
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
      std::string all;
      for (const auto& c : choices)
        all += (all.empty() ? "" : ", ") + c;
      return "expected one of " + all + ", got '" + std::string{value} + "'";
    }
    field(s) = std::string{value};
    return std::nullopt;
  };
  shower show = [field](const settings& s) {
    auto copy = s; // fields are reached through mutable accessors
    return field(copy);
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

template<class Field>
config_key boolean(std::string name, std::string help, Field field) {
  setter assign =
    [field](settings& s, std::string_view value) -> std::optional<std::string> {
    if (value == "true" || value == "1" || value == "yes") {
      field(s) = true;
    } else if (value == "false" || value == "0" || value == "no") {
      field(s) = false;
    } else {
      return "expected true or false, got '" + std::string{value} + "'";
    }
    return std::nullopt;
  };
  shower show = [field](const settings& s) {
    auto copy = s; // fields are reached through mutable accessors
    return field(copy) ? std::string{"true"} : std::string{"false"};
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

void add_dependency(std::vector<config_key>& keys, const std::string& name,
                    const std::string& url_key,
                    settings::dependency settings::*dep,
                    const std::string& what) {
  keys.push_back(text(name + "." + url_key, what + "; empty: not configured",
                      [dep](settings& s) -> std::string& {
                        return (s.*dep).url;
                      }));
  keys.push_back(boolean(name + ".required",
                         "whether /readyz fails while " + name
                           + " is configured but unreachable",
                         [dep](settings& s) -> bool& {
                           return (s.*dep).required;
                         }));
}

std::vector<config_key> make_schema() {
  std::vector<config_key> keys;
  keys.push_back(text("server.host", "address the HTTP server binds to",
                      [](settings& s) -> std::string& {
                        return s.server.host;
                      }));
  keys.push_back(integer<std::uint16_t>(
    "server.port", "TCP port of the HTTP server (0: any free port)",
    [](settings& s) -> std::uint16_t& {
      return s.server.port;
    },
    0, 65535));
  keys.push_back(integer<int>(
    "server.threads", "I/O threads of the HTTP server",
    [](settings& s) -> int& {
      return s.server.threads;
    },
    1, 64));
  keys.push_back(integer<std::int64_t>(
    "server.max_body_bytes", "largest request body accepted",
    [](settings& s) -> std::int64_t& {
      return s.server.max_body_bytes;
    },
    1024, std::int64_t{64} << 20));
  keys.push_back(integer<int>(
    "server.header_timeout_ms",
    "a request's header must arrive within this (408); also how long an idle "
    "keep-alive connection stays open",
    [](settings& s) -> int& {
      return s.server.header_timeout_ms;
    },
    100, 600000));
  keys.push_back(integer<int>(
    "server.body_timeout_ms",
    "a declared request body must arrive within this after its header (408)",
    [](settings& s) -> int& {
      return s.server.body_timeout_ms;
    },
    100, 600000));
  keys.push_back(integer<int>(
    "server.max_connections_per_ip",
    "open connections (HTTP, WebSocket, SSE) from one IP address; more get "
    "429",
    [](settings& s) -> int& {
      return s.server.max_connections_per_ip;
    },
    1, 1000000));
  keys.push_back(choice("log.level", "least severe level logged",
                        [](settings& s) -> std::string& {
                          return s.log.level;
                        },
                        {"trace", "debug", "info", "warn", "error", "off"}));
  keys.push_back(choice("log.format", "text lines, or JSON lines",
                        [](settings& s) -> std::string& {
                          return s.log.format;
                        },
                        {"text", "json"}));
  add_dependency(keys, "kafka", "brokers", &settings::kafka,
                 "Kafka bootstrap brokers, host:port[,host:port]");
  keys.push_back(integer<int>(
    "kafka.partitions", "partitions of each topic Moim creates",
    [](settings& s) -> int& {
      return s.kafka_topics.partitions;
    },
    1, 10000));
  keys.push_back(integer<int>(
    "kafka.replication_factor",
    "replication factor of the topics Moim creates (clamped to the brokers)",
    [](settings& s) -> int& {
      return s.kafka_topics.replication_factor;
    },
    1, 16));
  keys.push_back(text("kafka.transactional_id_prefix",
                      "prefix of each partition writer's transactional.id",
                      [](settings& s) -> std::string& {
                        return s.kafka_topics.transactional_id_prefix;
                      }));
  keys.push_back(text("eventlog.path",
                      "folder of the embedded event log (no Kafka brokers)",
                      [](settings& s) -> std::string& {
                        return s.eventlog.path;
                      }));
  keys.push_back(integer<int>(
    "eventlog.linger_us", "how long a group commit waits for more appends",
    [](settings& s) -> int& {
      return s.eventlog.linger_us;
    },
    0, 1000000));
  keys.push_back(integer<int>(
    "eventlog.max_batch_events", "most events in one group commit",
    [](settings& s) -> int& {
      return s.eventlog.max_batch_events;
    },
    1, 1000000));
  keys.push_back(text("hosting.state_path",
                      "folder of the local state store (aggregate snapshots)",
                      [](settings& s) -> std::string& {
                        return s.hosting.state_path;
                      }));
  keys.push_back(text("hosting.group",
                      "consumer group through which nodes share partitions",
                      [](settings& s) -> std::string& {
                        return s.hosting.group;
                      }));
  keys.push_back(integer<int>(
    "hosting.max_live_aggregates",
    "live aggregate actors per partition; the least recently used passivate",
    [](settings& s) -> int& {
      return s.hosting.max_live_aggregates;
    },
    1, 10000000));
  keys.push_back(text("auth.jwt_secret",
                      "HS256 secret of access tokens (never logged); empty: "
                      "random per process",
                      [](settings& s) -> std::string& {
                        return s.auth.jwt_secret;
                      }));
  keys.push_back(integer<int>(
    "auth.access_ttl_s", "lifetime of an access token, seconds",
    [](settings& s) -> int& {
      return s.auth.access_ttl_s;
    },
    1, 86400));
  keys.push_back(integer<int>(
    "auth.refresh_ttl_s", "lifetime of a refresh token, seconds",
    [](settings& s) -> int& {
      return s.auth.refresh_ttl_s;
    },
    60, std::int64_t{365} * 86400));
  keys.push_back(integer<int>(
    "websocket.messages_per_second", "frames a connection may send per second",
    [](settings& s) -> int& {
      return s.websocket.messages_per_second;
    },
    1, 100000));
  keys.push_back(integer<int>(
    "notifications.heartbeat_s", "seconds between SSE heartbeats",
    [](settings& s) -> int& {
      return s.notifications.heartbeat_s;
    },
    1, 3600));
  keys.push_back(integer<int>(
    "notifications.kept_per_user",
    "notifications kept per user for Last-Event-ID resumption",
    [](settings& s) -> int& {
      return s.notifications.kept_per_user;
    },
    1, 100000));
  keys.push_back(integer<int>(
    "websocket.max_frame_bytes", "larger client frames close the connection",
    [](settings& s) -> int& {
      return s.websocket.max_frame_bytes;
    },
    256, 16 << 20));
  keys.push_back(integer<int>(
    "websocket.max_queued_bytes",
    "outbound bytes queued per connection (besides a 64 KiB socket buffer) "
    "before it is dropped as slow",
    [](settings& s) -> int& {
      return s.websocket.max_queued_bytes;
    },
    4096, 1 << 30));
  add_dependency(keys, "postgres", "url", &settings::postgres,
                 "PostgreSQL connection URI");
  add_dependency(keys, "redis", "url", &settings::redis,
                 "Redis URL redis://host:port");
  add_dependency(keys, "search", "url", &settings::search,
                 "OpenSearch/Elasticsearch URL http://host:port");
  keys.push_back(integer<int>(
    "readiness.timeout_ms", "how long /readyz waits for each dependency",
    [](settings& s) -> int& {
      return s.readiness.timeout_ms;
    },
    100, 60000));
  return keys;
}

} // namespace

const std::vector<config_key>& config_schema() {
  static const auto schema = make_schema();
  return schema;
}

const config_key* find_config_key(std::string_view name) {
  for (const auto& key : config_schema())
    if (key.name == name)
      return &key;
  return nullptr;
}

std::string env_name_of(std::string_view key) {
  std::string result = "MOIM_";
  for (char c : key)
    result
      += c == '.'
           ? '_'
           : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

} // namespace moim::infra
