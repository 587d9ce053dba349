#include "tools/moim-bench/raw_kafka.hpp"

#include "infra/log/kafka/kafka_record.hpp"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <memory>

namespace moim::bench {

namespace {

using clock_type = std::chrono::steady_clock;

struct handle_deleter {
  void operator()(rd_kafka_t* rk) const {
    rd_kafka_destroy(rk);
  }
};

/// One transaction of `n` messages; an error text, or empty.
std::string
run_transaction(rd_kafka_t* rk, const std::string& topic,
                const std::string& key, const std::string& value,
                const events::header_list& headers_list, std::size_t n,
                std::vector<clock_type::time_point>* produced_at = nullptr) {
  if (auto* e = rd_kafka_begin_transaction(rk)) {
    std::string text = rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    return text;
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto* headers = rd_kafka_headers_new(headers_list.size());
    for (const auto& [name, v] : headers_list)
      rd_kafka_header_add(headers, name.data(),
                          static_cast<ssize_t>(name.size()), v.data(),
                          static_cast<ssize_t>(v.size()));
    if (produced_at != nullptr)
      produced_at->push_back(clock_type::now());
    // The same single rd_kafka_produceva call the Kafka log makes.
    auto* produce_err
      = infra::produce_message(rk, topic, 0, key, value, headers, nullptr);
    auto err = produce_err ? rd_kafka_error_code(produce_err)
                           : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (produce_err)
      rd_kafka_error_destroy(produce_err);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_headers_destroy(headers);
      return rd_kafka_err2str(err);
    }
  }
  rd_kafka_flush(rk, 30000);
  if (auto* e = rd_kafka_commit_transaction(rk, 30000)) {
    std::string text = rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    return text;
  }
  return {};
}

} // namespace

raw_result run_raw_kafka(const std::string& brokers, const std::string& topic,
                         const events::event_envelope& sample,
                         std::size_t events, std::size_t per_txn) {
  raw_result out;
  char errstr[512];
  auto* conf = rd_kafka_conf_new();
  auto txn_id = "moim-bench-raw-" + topic;
  // The Kafka log's writer settings, exactly.
  for (auto [k, v] :
       {std::pair{"bootstrap.servers", brokers.c_str()},
        std::pair{"transactional.id", txn_id.c_str()},
        std::pair{"transaction.timeout.ms", "60000"},
        std::pair{"linger.ms", "0"}, std::pair{"retry.backoff.ms", "5"},
        std::pair{"queue.buffering.max.messages", "1000000"}})
    rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr));
  // As the Moim writer does: a delivery callback, served by flush.
  rd_kafka_conf_set_dr_msg_cb(
    conf, [](rd_kafka_t*, const rd_kafka_message_t*, void*) {});
  std::unique_ptr<rd_kafka_t, handle_deleter> rk{
    rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr))};
  if (!rk) {
    out.error = errstr;
    return out;
  }
  if (auto* e = rd_kafka_init_transactions(rk.get(), 30000)) {
    out.error = rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    return out;
  }
  auto value = sample.payload.dump();
  auto headers_list = events::to_headers(sample);
  const auto& key = sample.aggregate.value();
  per_txn = std::max<std::size_t>(per_txn, 1);

  // Warm-up, as for Moim's writer: the first transaction also finds the
  // coordinator and the partition leader.
  auto warm = run_transaction(rk.get(), topic, key, value, headers_list, 1);
  if (!warm.empty()) {
    out.error = warm;
    return out;
  }
  auto started = clock_type::now();
  std::size_t sent = 0;
  while (sent < events) {
    auto n = std::min(per_txn, events - sent);
    std::vector<clock_type::time_point> produced_at;
    auto err = run_transaction(rk.get(), topic, key, value, headers_list, n,
                               &produced_at);
    if (!err.empty()) {
      out.error = err;
      return out;
    }
    auto committed = clock_type::now();
    for (auto t : produced_at)
      out.latency.add(committed - t);
    sent += n;
  }
  auto elapsed = std::chrono::duration<double>(clock_type::now() - started);
  out.events_per_second = static_cast<double>(events) / elapsed.count();
  return out;
}

} // namespace moim::bench
