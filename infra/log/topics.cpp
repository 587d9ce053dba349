#include "infra/log/topics.hpp"

namespace moim::infra {

std::string topic_of(events::aggregate_kind kind) {
  return "moim." + std::string{events::to_string(kind)} + "s";
}

std::map<std::string, int> moim_topics(int partitions) {
  std::map<std::string, int> out;
  for (auto kind : events::all_aggregate_kinds)
    out[topic_of(kind)] = partitions;
  for (const auto* projection : {"postgres", "search", "redis"})
    out[dead_letter_topic(projection)] = 1;
  return out;
}

std::string dead_letter_topic(const std::string& projection) {
  return "moim.dlq." + projection;
}

} // namespace moim::infra
