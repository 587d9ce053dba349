// moim-bench: drives load and prints throughput and latency percentiles.
// Benchmarks are measurements, not tests: nothing here passes or fails on
// a number.

#include "tools/moim-bench/actors_bench.hpp"
#include "tools/moim-bench/broker_ceiling.hpp"
#include "tools/moim-bench/chat_bench.hpp"
#include "tools/moim-bench/log_bench.hpp"
#include "tools/moim-bench/projection_bench.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
  CLI::App app{"moim-bench: Moim's load generator and measurements"};
  app.require_subcommand(1);

  moim::bench::log_bench_options log_opts;
  if (auto brokers = std::getenv("MOIM_KAFKA_BROKERS"))
    log_opts.brokers = brokers;
  auto* log_cmd = app.add_subcommand(
    "log", "append throughput and latency of the event logs, with a raw "
           "librdkafka transactional producer as the baseline");
  log_cmd->add_option("--log", log_opts.logs, "embedded, kafka or both")
    ->check(CLI::IsMember({"embedded", "kafka", "both"}));
  log_cmd->add_option("--brokers", log_opts.brokers,
                      "Kafka brokers (default: $MOIM_KAFKA_BROKERS)");
  log_cmd->add_option("--dir", log_opts.dir,
                      "folder for the embedded log (default: a temporary one)");
  log_cmd->add_option("--events", log_opts.events, "events per run")
    ->check(CLI::Range(1, 10000000));
  log_cmd
    ->add_option("--appenders", log_opts.appenders,
                 "concurrent appenders, one run each (e.g. 1 16)")
    ->check(CLI::Range(1, 1024));
  log_cmd
    ->add_option("--size", log_opts.payload_bytes,
                 "message text bytes per event")
    ->check(CLI::Range(1, 900000));

  moim::bench::actors_bench_options actor_opts;
  actor_opts.brokers = log_opts.brokers;
  auto* actors_cmd = app.add_subcommand(
    "actors", "commands through the aggregate actors: posting messages "
              "(1 and 1,000 rooms), 10,000 seat requests on 100 seats, and "
              "the time to serve again after a restart");
  actors_cmd->add_option("--log", actor_opts.log, "embedded or kafka")
    ->check(CLI::IsMember({"embedded", "kafka"}));
  actors_cmd->add_option("--brokers", actor_opts.brokers,
                         "Kafka brokers (default: $MOIM_KAFKA_BROKERS)");
  actors_cmd->add_option("--messages", actor_opts.messages, "posts per run")
    ->check(CLI::Range(1, 100000000));
  actors_cmd
    ->add_option("--in-flight", actor_opts.in_flight,
                 "commands outstanding at once")
    ->check(CLI::Range(1, 1000000));
  actors_cmd
    ->add_option("--recovery-events", actor_opts.recovery_events,
                 "events written before the restart")
    ->check(CLI::Range(1, 100000000));
  actors_cmd
    ->add_option("--recovery-aggregates", actor_opts.recovery_aggregates,
                 "aggregates those events belong to")
    ->check(CLI::Range(1, 10000000));
  actors_cmd
    ->add_option("--aged-messages", actor_opts.aged_messages,
                 "earlier messages of the aged room (0: skip that run)")
    ->check(CLI::Range(0, 100000000));
  actors_cmd
    ->add_option("--partitions", actor_opts.partitions,
                 "partitions per topic (embedded; Kafka uses the "
                 "topics as they are)")
    ->check(CLI::Range(1, 1000));

  moim::bench::chat_bench_options chat_opts;
  auto* chat_cmd = app.add_subcommand(
    "chat", "WebSocket clients of a running moimd posting in rooms: durable "
            "messages/s, deliveries/s, latency, memory per connection");
  chat_cmd->add_option("--server", chat_opts.server,
                       "moimd's base URL (start it with ./dev run)");
  chat_cmd->add_option("--clients", chat_opts.clients, "WebSocket clients")
    ->check(CLI::Range(1, 100000));
  chat_cmd->add_option("--rooms", chat_opts.rooms, "rooms they post in")
    ->check(CLI::Range(1, 100000));
  chat_cmd
    ->add_option("--users", chat_opts.users,
                 "users they sign in as (client i is user i % users)")
    ->check(CLI::Range(1, 100000));
  chat_cmd->add_option("--rate", chat_opts.rate, "messages/s, all clients")
    ->check(CLI::Range(1.0, 1e7));
  chat_cmd->add_option("--seconds", chat_opts.seconds, "measured seconds")
    ->check(CLI::Range(1, 3600));
  chat_cmd->add_option("--warmup", chat_opts.warmup, "seconds before that")
    ->check(CLI::Range(0, 600));
  chat_cmd->add_option("--size", chat_opts.size, "message text bytes")
    ->check(CLI::Range(24, 4096));
  chat_opts.brokers = log_opts.brokers;
  chat_cmd->add_option("--brokers", chat_opts.brokers,
                       "measure the broker's ceiling after the run (default: "
                       "$MOIM_KAFKA_BROKERS; empty: skip)");
  chat_cmd
    ->add_option("--ceiling-records", chat_opts.ceiling_records,
                 "records per ceiling mode (0: skip)")
    ->check(CLI::Range(0, 100000000));

  moim::bench::ceiling_options broker_opts;
  broker_opts.brokers = log_opts.brokers;
  auto* broker_cmd = app.add_subcommand(
    "broker", "the stack's broker ceiling: a raw librdkafka producer, "
              "idempotent (acks=all) and transactional (1,000 per txn)");
  broker_cmd->add_option("--brokers", broker_opts.brokers,
                         "Kafka brokers (default: $MOIM_KAFKA_BROKERS)");
  broker_cmd->add_option("--records", broker_opts.records, "records per mode")
    ->check(CLI::Range(1000, 100000000));
  broker_cmd->add_option("--size", broker_opts.size, "value bytes")
    ->check(CLI::Range(1, 1000000));
  broker_cmd
    ->add_option("--partitions", broker_opts.partitions,
                 "partitions of the fresh topic")
    ->check(CLI::Range(1, 1000));

  moim::bench::projection_bench_options proj_opts;
  proj_opts.brokers = log_opts.brokers;
  for (auto [var, field] :
       {std::pair{"MOIM_POSTGRES_URL", &proj_opts.postgres_url},
        std::pair{"MOIM_REDIS_URL", &proj_opts.redis_url},
        std::pair{"MOIM_SEARCH_URL", &proj_opts.search_url}})
    if (auto value = std::getenv(var))
      *field = value;
  auto* proj_cmd = app.add_subcommand(
    "projections", "the read models: each projection rebuilding from the "
                   "start (events/s), all at once (rebuild time), and the "
                   "lag from commit to visible under a steady append rate");
  proj_cmd->add_option("--log", proj_opts.log, "kafka or embedded")
    ->check(CLI::IsMember({"embedded", "kafka"}));
  proj_cmd->add_option("--brokers", proj_opts.brokers,
                       "Kafka brokers (default: $MOIM_KAFKA_BROKERS)");
  proj_cmd->add_option("--postgres", proj_opts.postgres_url,
                       "Postgres URI (default: $MOIM_POSTGRES_URL; empty: "
                       "leave it out)");
  proj_cmd->add_option("--redis", proj_opts.redis_url,
                       "Redis URL (default: $MOIM_REDIS_URL)");
  proj_cmd->add_option("--search", proj_opts.search_url,
                       "OpenSearch URL (default: $MOIM_SEARCH_URL)");
  proj_cmd->add_option("--events", proj_opts.events, "events in the log")
    ->check(CLI::Range(1000, 100000000));
  proj_cmd->add_option("--rooms", proj_opts.rooms, "rooms they belong to")
    ->check(CLI::Range(1, 1000000));
  proj_cmd
    ->add_option("--lag-rate", proj_opts.lag_rate,
                 "events/s appended while measuring the lag (0: skip)")
    ->check(CLI::Range(0.0, 1e6));
  proj_cmd
    ->add_option("--lag-seconds", proj_opts.lag_seconds,
                 "how long the lag run appends")
    ->check(CLI::Range(1, 3600));

  CLI11_PARSE(app, argc, argv);
  if (*proj_cmd)
    return moim::bench::run_projection_bench(proj_opts);
  if (*chat_cmd)
    return moim::bench::run_chat_bench(chat_opts);
  if (*log_cmd)
    return moim::bench::run_log_bench(log_opts);
  if (*actors_cmd)
    return moim::bench::run_actors_bench(actor_opts);
  if (*broker_cmd)
    return moim::bench::run_broker_bench(broker_opts);
  return 2;
}
