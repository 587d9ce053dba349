#include "tools/moim-bench/broker_ceiling.hpp"

#include "infra/log/kafka/kafka_handle.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "infra/log/kafka/kafka_record.hpp"

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include <unistd.h>

namespace moim::bench {

namespace {

using clock_type = std::chrono::steady_clock;

std::atomic<std::size_t> failed_deliveries{0};

void count_failed_deliveries(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_dr_msg_cb(
    conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void*) {
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
        failed_deliveries.fetch_add(1, std::memory_order_relaxed);
    });
}

/// A producer with `settings`, as the Kafka log makes its clients.
infra::result<infra::kafka_handle>
make_producer(const infra::kafka_settings& settings) {
  return infra::make_kafka_client(RD_KAFKA_PRODUCER, settings,
                                  count_failed_deliveries);
}

/// Produces `n` records with keys spread over the partitions; waits for
/// room in the queue when it is full.
std::string produce(rd_kafka_t* rk, const std::string& topic,
                    const std::string& value, std::size_t first,
                    std::size_t n) {
  for (std::size_t i = first; i < first + n; ++i) {
    auto key = std::to_string(i % 4096);
    for (;;) {
      // produceva, as the Kafka log: producev's macros are GNU extensions.
      auto* produce_err = infra::produce_message(
        rk, topic, RD_KAFKA_PARTITION_UA, key, value, nullptr, nullptr);
      auto err = produce_err ? rd_kafka_error_code(produce_err)
                             : RD_KAFKA_RESP_ERR_NO_ERROR;
      if (produce_err)
        rd_kafka_error_destroy(produce_err);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        return rd_kafka_err2str(err);
      rd_kafka_poll(rk, 5);
    }
  }
  return {};
}

/// The text of a transaction call's error, which it frees.
std::string take(rd_kafka_error_t* e) {
  infra::kafka_error_ptr owned{e};
  return rd_kafka_error_string(owned.get());
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

} // namespace

broker_ceiling measure_broker_ceiling(const ceiling_options& o) {
  broker_ceiling out;
  auto topic = "moim-bench-ceiling-" + std::to_string(::getpid());
  {
    infra::kafka_log_options provision;
    provision.brokers = o.brokers;
    provision.topics = {{topic, o.partitions}};
    provision.replication_factor = 1;
    auto log = infra::kafka_log::open(provision);
    if (!log) {
      out.error = log.err().message;
      return out;
    }
  }
  std::string value(o.size, 'x');
  failed_deliveries = 0;

  auto idempotent
    = make_producer({{"bootstrap.servers", o.brokers},
                     {"enable.idempotence", "true"},
                     {"acks", "all"},
                     {"queue.buffering.max.messages", "1000000"}});
  if (!idempotent) {
    out.error = idempotent.err().message;
    return out;
  }
  auto t0 = clock_type::now();
  if (auto err = produce(idempotent->get(), topic, value, 0, o.records);
      !err.empty()) {
    out.error = "idempotent: " + err;
    return out;
  }
  rd_kafka_flush(idempotent->get(), 60000);
  out.idempotent = static_cast<double>(o.records) / seconds_since(t0);
  idempotent->reset();

  auto transactional
    = make_producer({{"bootstrap.servers", o.brokers},
                     {"transactional.id", topic + "-txn"},
                     {"queue.buffering.max.messages", "1000000"}});
  if (!transactional) {
    out.error = transactional.err().message;
    return out;
  }
  auto* rk = transactional->get();
  if (auto* e = rd_kafka_init_transactions(rk, 30000)) {
    out.error = "init_transactions: " + take(e);
    return out;
  }
  constexpr std::size_t per_txn = 1000;
  t0 = clock_type::now();
  for (std::size_t sent = 0; sent < o.records; sent += per_txn) {
    if (auto* e = rd_kafka_begin_transaction(rk)) {
      out.error = "begin: " + take(e);
      return out;
    }
    auto n = std::min(per_txn, o.records - sent);
    if (auto err = produce(rk, topic, value, sent, n); !err.empty()) {
      out.error = "transactional: " + err;
      return out;
    }
    if (auto* e = rd_kafka_commit_transaction(rk, 60000)) {
      out.error = "commit: " + take(e);
      return out;
    }
  }
  out.transactional = static_cast<double>(o.records) / seconds_since(t0);
  if (failed_deliveries > 0)
    out.error = std::to_string(failed_deliveries.load())
                + " records were not delivered";
  return out;
}

int run_broker_bench(const ceiling_options& options) {
  if (options.brokers.empty()) {
    std::fprintf(stderr, "moim-bench broker: needs --brokers or "
                         "MOIM_KAFKA_BROKERS (infra/stack/stack env)\n");
    return 2;
  }
  auto c = measure_broker_ceiling(options);
  if (!c.error.empty()) {
    std::fprintf(stderr, "moim-bench broker: %s\n", c.error.c_str());
    return 1;
  }
  std::printf("moim-bench broker: %zu records of %zu bytes per mode, %d "
              "partitions, one producer\n"
              "  idempotent, acks=all          %9.0f records/s\n"
              "  transactional, 1,000 per txn  %9.0f records/s\n",
              options.records, options.size, options.partitions, c.idempotent,
              c.transactional);
  return 0;
}

} // namespace moim::bench
