#include "infra/kafka/kafka_probe.hpp"

#include <librdkafka/rdkafka.h>

#include <memory>

namespace moim::infra {

namespace {

struct handle_deleter {
  void operator()(rd_kafka_t* rk) const {
    rd_kafka_destroy(rk);
  }
};

// The probe expects failures; librdkafka's own connection logging would
// only repeat them on stderr.
void quiet_log(const rd_kafka_t*, int, const char*, const char*) {
  // nop
}

} // namespace

std::optional<std::string> probe_kafka(const std::string& brokers,
                                       std::chrono::milliseconds timeout) {
  char errstr[512];
  auto* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr,
                        sizeof(errstr))
      != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return std::string{"kafka.brokers: "} + errstr;
  }
  rd_kafka_conf_set_log_cb(conf, quiet_log);
  std::unique_ptr<rd_kafka_t, handle_deleter> rk{
    rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr))};
  if (!rk) // rd_kafka_new frees conf only on success
    return std::string{"cannot create a Kafka client: "} + errstr;
  const rd_kafka_metadata_t* md = nullptr;
  auto err = rd_kafka_metadata(rk.get(), 0, nullptr, &md,
                               static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return "no Kafka broker answered at " + brokers + ": "
           + rd_kafka_err2str(err);
  auto brokers_seen = md->broker_cnt;
  rd_kafka_metadata_destroy(md);
  if (brokers_seen == 0)
    return "the Kafka cluster at " + brokers + " reports no brokers";
  return std::nullopt;
}

} // namespace moim::infra
