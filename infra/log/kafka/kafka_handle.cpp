#include "infra/log/kafka/kafka_handle.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace moim::infra {

namespace {

void log_to_spdlog(const rd_kafka_t*, int level, const char* facility,
                   const char* message) {
  // syslog levels: 0..3 errors, 4 warning, 5..6 info, 7 debug
  if (level <= 3)
    spdlog::error("kafka {}: {}", facility, message);
  else if (level == 4)
    spdlog::warn("kafka {}: {}", facility, message);
  else
    spdlog::debug("kafka {}: {}", facility, message);
}

} // namespace

result<kafka_handle> make_kafka_client(rd_kafka_type_t type,
                                       const kafka_settings& settings,
                                       void (*setup)(rd_kafka_conf_t*),
                                       void* opaque) {
  char errstr[512];
  auto* conf = rd_kafka_conf_new();
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr,
                          sizeof(errstr))
        != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return error{errc::invalid,
                   "Kafka setting " + key + "=" + value + ": " + errstr};
    }
  }
  // RDKAFKA_DEBUG=fetch,consumer,... turns on librdkafka's debug contexts
  // (logged at spdlog's debug level) for diagnosing a client.
  if (auto* contexts = std::getenv("RDKAFKA_DEBUG")) {
    rd_kafka_conf_set(conf, "debug", contexts, errstr, sizeof(errstr));
    rd_kafka_conf_set(conf, "log_level", "7", errstr, sizeof(errstr));
  }
  rd_kafka_conf_set_log_cb(conf, log_to_spdlog);
  if (opaque != nullptr)
    rd_kafka_conf_set_opaque(conf, opaque);
  if (setup != nullptr)
    setup(conf);
  kafka_handle rk{rd_kafka_new(type, conf, errstr, sizeof(errstr))};
  if (!rk) {
    rd_kafka_conf_destroy(conf); // only freed by rd_kafka_new on success
    return error{errc::invalid,
                 std::string{"cannot create a Kafka client: "} + errstr};
  }
  return rk;
}

} // namespace moim::infra
