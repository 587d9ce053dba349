#include "infra/log/kafka/kafka_log_impl.hpp"

#include <spdlog/spdlog.h>

#include <memory>

namespace moim::infra {

namespace {

struct metadata_deleter {
  void operator()(const rd_kafka_metadata_t* md) const {
    rd_kafka_metadata_destroy(md);
  }
};

/// Broker count and partition counts of the given topics, where they exist.
result<int> describe(rd_kafka_t* rk, int timeout_ms,
                     std::map<std::string, int>& existing) {
  const rd_kafka_metadata_t* raw = nullptr;
  auto err = rd_kafka_metadata(rk, 1, nullptr, &raw, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return error{errc::unreachable, std::string{"Kafka metadata request "
                                                "failed: "}
                                      + rd_kafka_err2str(err)
                                      + " (is kafka.brokers right and the "
                                        "broker up?)"};
  std::unique_ptr<const rd_kafka_metadata_t, metadata_deleter> md{raw};
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0)
      existing[t.topic] = t.partition_cnt;
  }
  return md->broker_cnt;
}

} // namespace

std::optional<error> provision_topics(kafka_log::impl& d, rd_kafka_t* admin) {
  auto timeout_ms = static_cast<int>(d.options.timeout.count());
  std::map<std::string, int> existing;
  auto brokers = describe(admin, timeout_ms, existing);
  if (!brokers)
    return brokers.err();
  d.replication_factor = d.options.replication_factor;
  if (*brokers < d.replication_factor) {
    auto text = "Kafka has " + std::to_string(*brokers)
                + " broker(s) but replication factor "
                + std::to_string(d.replication_factor)
                + " was configured: using " + std::to_string(*brokers)
                + "; set kafka.replication_factor=" + std::to_string(*brokers)
                + " to silence this";
    spdlog::warn("{}", text);
    d.warnings.push_back(text);
    d.replication_factor = *brokers;
  }

  std::vector<rd_kafka_NewTopic_t*> specs;
  char errstr[512];
  for (const auto& [topic, partitions] : d.options.topics) {
    if (existing.count(topic) != 0)
      continue;
    specs.push_back(rd_kafka_NewTopic_new(
      topic.c_str(), partitions, d.replication_factor, errstr, sizeof(errstr)));
    if (specs.back() == nullptr) {
      specs.pop_back();
      for (auto* s : specs)
        rd_kafka_NewTopic_destroy(s);
      return error{errc::invalid, "topic " + topic + ": " + errstr};
    }
  }
  std::optional<error> failure;
  if (!specs.empty()) {
    auto* queue = rd_kafka_queue_new(admin);
    rd_kafka_CreateTopics(admin, specs.data(), specs.size(), nullptr, queue);
    auto* event = rd_kafka_queue_poll(queue, timeout_ms);
    if (event == nullptr) {
      failure = error{errc::timeout, "Kafka did not answer CreateTopics"};
    } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      failure = error{errc::rejected, std::string{"CreateTopics failed: "}
                                        + rd_kafka_event_error_string(event)};
    } else {
      size_t count = 0;
      auto** results = rd_kafka_CreateTopics_result_topics(
        rd_kafka_event_CreateTopics_result(event), &count);
      for (size_t i = 0; i < count && !failure; ++i) {
        auto code = rd_kafka_topic_result_error(results[i]);
        if (code != RD_KAFKA_RESP_ERR_NO_ERROR
            && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
          failure = error{errc::rejected,
                          std::string{"cannot create topic "}
                            + rd_kafka_topic_result_name(results[i]) + ": "
                            + rd_kafka_topic_result_error_string(results[i])};
        else
          spdlog::info("created topic {}",
                       rd_kafka_topic_result_name(results[i]));
      }
    }
    if (event != nullptr)
      rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    for (auto* s : specs)
      rd_kafka_NewTopic_destroy(s);
  }
  if (failure)
    return failure;

  // Learn the partition counts as the cluster has them; a topic made
  // elsewhere may differ from the configuration.
  for (int attempt = 0; attempt < 50; ++attempt) {
    existing.clear();
    auto again = describe(admin, timeout_ms, existing);
    if (!again)
      return again.err();
    bool all = true;
    for (const auto& [topic, wanted] : d.options.topics)
      all = all && existing.count(topic) != 0;
    if (all)
      break;
    rd_kafka_poll(admin, 100);
  }
  for (const auto& [topic, wanted] : d.options.topics) {
    auto found = existing.find(topic);
    if (found == existing.end())
      return error{errc::timeout, "topic " + topic + " did not appear"};
    if (found->second != wanted) {
      auto text = "topic " + topic + " has " + std::to_string(found->second)
                  + " partitions, not the configured " + std::to_string(wanted)
                  + "; using " + std::to_string(found->second);
      spdlog::warn("{}", text);
      d.warnings.push_back(text);
    }
    d.partitions[topic] = found->second;
  }
  return std::nullopt;
}

} // namespace moim::infra
