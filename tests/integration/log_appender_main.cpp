// A child process for the crash test: appends to partition 0 of a topic in
// a loop, up to 16 appends in flight, and prints "ack <seq>" for every
// acknowledged batch (its last sequence number), until it is killed.
//
//   moim_log_appender embedded <folder> <topic>
//   moim_log_appender kafka <brokers> <topic> <transactional-id prefix>

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

using namespace moim;

namespace {

std::unique_ptr<infra::event_log> open_log(int argc, char** argv) {
  std::string kind = argv[1];
  std::map<std::string, int> topics{{argv[3], 1}};
  if (kind == "embedded") {
    auto log = infra::embedded_log::open({argv[2], topics, {}});
    if (!log) {
      std::fprintf(stderr, "%s\n", log.err().message.c_str());
      return nullptr;
    }
    return std::move(*log);
  }
  if (kind == "kafka" && argc > 4) {
    infra::kafka_log_options options;
    options.brokers = argv[2];
    options.topics = topics;
    options.replication_factor = 1;
    options.transactional_id_prefix = argv[4];
    auto log = infra::kafka_log::open(options);
    if (!log) {
      std::fprintf(stderr, "%s\n", log.err().message.c_str());
      return nullptr;
    }
    return std::move(*log);
  }
  return nullptr;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: moim_log_appender embedded|kafka WHERE TOPIC "
                         "[PREFIX]\n");
    return 2;
  }
  auto log = open_log(argc, argv);
  if (!log)
    return 1;
  infra::topic_partition tp{argv[3], events::partition_id{0}};
  auto writer = log->open_writer(tp);
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.err().message.c_str());
    return 1;
  }
  std::mutex mtx;
  std::condition_variable cv;
  int in_flight = 0;
  std::uint64_t seq = 0;
  events::aggregate_id agg{"crash"};
  for (int round = 0;; ++round) {
    {
      std::unique_lock<std::mutex> lock{mtx};
      cv.wait(lock, [&] {
        return in_flight < 16;
      });
      ++in_flight;
    }
    std::vector<events::event_envelope> batch;
    for (int i = 0; i <= round % 3; ++i) {
      ++seq;
      batch.push_back(events::encode(
        events::room_message_posted{
          events::room_id{"crash"}, events::message_seq{seq},
          events::user_id{"u"}, std::to_string(seq), ""},
        {agg, events::aggregate_seq{seq}, {}, {}, {}}));
    }
    (*writer)->append(
      std::move(batch), [&, last = seq](infra::append_result r) {
        if (r) {
          std::printf("ack %llu\n", static_cast<unsigned long long>(last));
          std::fflush(stdout);
        } else {
          std::fprintf(stderr, "append failed: %s\n", r.err().message.c_str());
        }
        std::lock_guard<std::mutex> guard{mtx};
        --in_flight;
        cv.notify_one();
      });
  }
}
