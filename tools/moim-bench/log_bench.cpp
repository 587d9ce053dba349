#include "tools/moim-bench/log_bench.hpp"

#include "events/codec.hpp"
#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "tools/moim-bench/latency.hpp"
#include "tools/moim-bench/raw_kafka.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <unistd.h>

namespace moim::bench {

namespace {

using clock_type = std::chrono::steady_clock;

struct run_result {
  double events_per_second = 0;
  latency_recorder latency;
  double events_per_commit = 0;
  std::string error;
};

events::aggregate_id aggregate_in(const infra::event_log& log,
                                  const std::string& topic,
                                  const std::string& stem) {
  for (int i = 0;; ++i) {
    events::aggregate_id id{stem + "-" + std::to_string(i)};
    if (log.partition_of(topic, id).value() == 0)
      return id;
  }
}

events::event_envelope sample_event(const events::aggregate_id& agg,
                                    std::uint64_t seq, std::size_t bytes) {
  return events::encode(
    events::room_message_posted{
      events::room_id{agg.value()}, events::message_seq{seq},
      events::user_id{"bench-user"}, std::string(bytes, 'x'), ""},
    {agg, events::aggregate_seq{seq}, {}, {}, {}});
}

/// `appenders` threads, each appending one event at a time and waiting for
/// its acknowledgement, as aggregate actors do.
run_result run_moim(infra::event_log& log, const std::string& topic,
                    int appenders, std::size_t events, std::size_t bytes) {
  run_result out;
  auto writer = log.open_writer({topic, events::partition_id{0}});
  if (!writer) {
    out.error = writer.err().message;
    return out;
  }
  // Warm-up: the first transaction also finds the coordinator.
  auto warm = aggregate_in(log, topic, "warm");
  if (auto r = (*writer)->append_sync({sample_event(warm, 1, bytes)}); !r) {
    out.error = r.err().message;
    return out;
  }
  auto before = (*writer)->stats();
  std::vector<latency_recorder> per_thread(static_cast<std::size_t>(appenders));
  std::vector<std::string> errors(static_cast<std::size_t>(appenders));
  std::vector<std::thread> threads;
  auto per = events / static_cast<std::size_t>(appenders);
  auto started = clock_type::now();
  for (int t = 0; t < appenders; ++t) {
    threads.emplace_back([&, t] {
      auto idx = static_cast<std::size_t>(t);
      auto agg = aggregate_in(log, topic, "bench" + std::to_string(t));
      for (std::size_t i = 1; i <= per; ++i) {
        auto event = sample_event(agg, i, bytes);
        auto t0 = clock_type::now();
        auto r = (*writer)->append_sync({std::move(event)});
        if (!r) {
          errors[idx] = r.err().message;
          return;
        }
        per_thread[idx].add(clock_type::now() - t0);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  auto elapsed = std::chrono::duration<double>(clock_type::now() - started);
  for (const auto& e : errors)
    if (!e.empty())
      out.error = e;
  for (auto& l : per_thread)
    out.latency.merge(l);
  auto after = (*writer)->stats();
  out.events_per_second
    = static_cast<double>(out.latency.count()) / elapsed.count();
  auto commits = after.commits - before.commits;
  out.events_per_commit = commits == 0
                            ? 0
                            : static_cast<double>(after.events - before.events)
                                / static_cast<double>(commits);
  return out;
}

void print_row(const char* log, int appenders, run_result& r) {
  if (!r.error.empty()) {
    std::printf("%-10s %9d  error: %s\n", log, appenders, r.error.c_str());
    return;
  }
  std::printf("%-10s %9d %10.0f  %s %8.1f\n", log, appenders,
              r.events_per_second, r.latency.summary().c_str(),
              r.events_per_commit);
}

std::string unique_topic(const char* stem) {
  return std::string{"moim.bench."} + stem + "."
         + std::to_string(
           std::chrono::system_clock::now().time_since_epoch().count());
}

} // namespace

int run_log_bench(const log_bench_options& options) {
  bool embedded = options.logs == "both" || options.logs == "embedded";
  bool kafka = options.logs == "both" || options.logs == "kafka";
  if (kafka && options.brokers.empty()) {
    std::fprintf(stderr, "moim-bench log: no Kafka brokers; pass --brokers or "
                         "set MOIM_KAFKA_BROKERS (or use --log embedded)\n");
    return 2;
  }
  std::printf("moim-bench log: %zu events per run, %zu-byte message text, "
              "closed-loop appenders (one event per append)\n\n",
              options.events, options.payload_bytes);
  std::printf("%-10s %9s %10s  %-44s %8s\n", "log", "appenders", "events/s",
              "append latency (ack)", "ev/commit");
  int rc = 0;
  if (embedded) {
    auto dir = options.dir.empty()
                 ? (std::filesystem::temp_directory_path()
                    / ("moim-bench-" + std::to_string(::getpid())))
                     .string()
                 : options.dir;
    for (int n : options.appenders) {
      auto topic = unique_topic("embedded");
      infra::embedded_log_options eo;
      eo.path = dir;
      eo.topics = {{topic, 1}};
      auto log = infra::embedded_log::open(eo);
      if (!log) {
        std::fprintf(stderr, "%s\n", log.err().message.c_str());
        return 1;
      }
      auto r = run_moim(**log, topic, n, options.events, options.payload_bytes);
      print_row("embedded", n, r);
    }
    if (options.dir.empty())
      std::filesystem::remove_all(dir);
  }
  if (kafka) {
    for (int n : options.appenders) {
      auto topic = unique_topic("kafka");
      infra::kafka_log_options ko;
      ko.brokers = options.brokers;
      ko.topics = {{topic, 1}};
      ko.replication_factor = 1;
      ko.transactional_id_prefix = "moim-bench";
      auto log = infra::kafka_log::open(ko);
      if (!log) {
        std::fprintf(stderr, "%s\n", log.err().message.c_str());
        return 1;
      }
      auto moim
        = run_moim(**log, topic, n, options.events, options.payload_bytes);
      print_row("kafka", n, moim);
      // The baseline: same broker, same bytes, same events per transaction.
      auto per_txn = static_cast<std::size_t>(
        std::max(1.0, std::round(moim.events_per_commit)));
      auto sample = sample_event(events::aggregate_id{"bench-0"}, 1,
                                 options.payload_bytes);
      auto raw = run_raw_kafka(options.brokers, topic, sample, options.events,
                               per_txn);
      if (!raw.error.empty()) {
        std::printf("%-10s %9s  error: %s\n", "raw-kafka", "-",
                    raw.error.c_str());
        rc = 1;
        continue;
      }
      std::printf("%-10s %9s %10.0f  %s %8zu\n", "raw-kafka", "(1 thread)",
                  raw.events_per_second, raw.latency.summary().c_str(),
                  per_txn);
      if (moim.error.empty())
        std::printf("%-10s %9d %10.2f  (goal >= 0.80)\n", "moim/raw", n,
                    moim.events_per_second / raw.events_per_second);
    }
  }
  return rc;
}

} // namespace moim::bench
