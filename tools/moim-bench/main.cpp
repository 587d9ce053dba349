// moim-bench: drives load and prints throughput and latency percentiles.
// Benchmarks are measurements, not tests: nothing here passes or fails on
// a number.

#include "tools/moim-bench/log_bench.hpp"

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

  CLI11_PARSE(app, argc, argv);
  if (*log_cmd)
    return moim::bench::run_log_bench(log_opts);
  return 2;
}
