// The child process of the projection crash test: runs one projection
// over one topic until it is killed, in small batches (so a kill lands
// between and inside many of them), printing "applied <n>" as its count
// grows. <namespace> is the Postgres schema, the Redis key prefix or the
// search index prefix, and the projection's name.
//
//   moim_projector embedded|kafka <folder or brokers> <topic>
//                  postgres|redis|search <url> <namespace>

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "projections/runner.hpp"
#include "tests/integration/projection_stores.hpp"

#include <cstdio>
#include <string>
#include <thread>

using namespace moim;

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: moim_projector embedded|kafka <folder or "
                         "brokers> <topic> postgres|redis|search <url> "
                         "<namespace>\n");
    return 2;
  }
  std::string kind = argv[1];
  std::map<std::string, int> topics{{argv[3], 4}};
  std::unique_ptr<infra::event_log> log;
  if (kind == "embedded") {
    auto opened = infra::embedded_log::open({argv[2], topics, {}});
    if (opened)
      log = std::move(*opened);
    else
      std::fprintf(stderr, "%s\n", opened.err().message.c_str());
  } else {
    infra::kafka_log_options options;
    options.brokers = argv[2];
    options.topics = topics;
    options.replication_factor = 1;
    auto opened = infra::kafka_log::open(options);
    if (opened)
      log = std::move(*opened);
    else
      std::fprintf(stderr, "%s\n", opened.err().message.c_str());
  }
  if (!log)
    return 1;
  moim::test::projection_store store{argv[4], argv[5]};
  std::string ns = argv[6];
  auto projection = store.make(ns, argv[3]);
  projections::runner_options run;
  run.max_batch = 97;
  run.linger = std::chrono::milliseconds{5};
  run.instance_id = "projector-" + ns; // the same on a restart
  projections::projection_runner runner{*log, projection, run};
  runner.start();
  std::uint64_t printed = 0;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
    auto events = runner.status().events;
    if (events != printed) {
      printed = events;
      std::printf("applied %llu\n", static_cast<unsigned long long>(events));
      std::fflush(stdout);
    }
  }
}
