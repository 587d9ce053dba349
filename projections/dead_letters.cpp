#include "projections/dead_letters.hpp"

#include <nlohmann/json.hpp>

namespace moim::projections {

parked_aggregate parked_key(const infra::log_record& r) {
  return {r.topic, r.position.partition.value(), r.stored.aggregate.value()};
}

dead_letters::dead_letters(infra::event_log& log, std::string projection,
                           std::string topic)
  : log_(log), projection_(std::move(projection)), topic_(std::move(topic)) {
  // nop
}

dead_letters::~dead_letters() = default;

std::optional<infra::error> dead_letters::park(const infra::log_record& r,
                                               const std::string& reason) {
  events::event_envelope letter;
  letter.id = events::new_event_id();
  letter.aggregate_type = r.stored.aggregate_type;
  letter.aggregate = r.stored.aggregate;
  letter.seq = r.stored.seq;
  letter.type = "projection.parked";
  letter.version = 1;
  letter.occurred_at = events::now_ms();
  letter.payload = {{"projection", projection_},
                    {"topic", r.topic},
                    {"partition", r.position.partition.value()},
                    {"offset", r.position.offset.value()},
                    {"aggregate", r.stored.aggregate.value()},
                    {"type", r.stored.type},
                    {"version", r.stored.version},
                    {"reason", reason},
                    {"payload", r.stored.payload}};
  // A writer fenced by another node's runner (parking at the same time)
  // is opened again once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!writer_) {
      auto opened = log_.open_writer({topic_, events::partition_id{0}});
      if (!opened)
        return opened.err();
      writer_ = std::move(*opened);
    }
    auto appended = writer_->append_sync({letter});
    if (appended)
      return std::nullopt;
    writer_.reset();
    if (attempt == 1)
      return appended.err();
  }
  return std::nullopt;
}

infra::result<std::set<parked_aggregate>> dead_letters::load() {
  std::set<parked_aggregate> out;
  infra::topic_partition tp{topic_, events::partition_id{0}};
  auto end = log_.end_offset(tp);
  if (!end)
    return end.err();
  events::log_offset from{0};
  while (from.value() < end->value()) {
    auto batch = log_.read(tp, from, 1000, infra::bad_record_policy::deliver);
    if (!batch)
      return batch.err();
    for (const auto& r : batch->records) {
      const auto& p = r.stored.payload;
      if (!p.is_object() || p.value("projection", "") != projection_)
        continue;
      out.insert({p.value("topic", ""), p.value("partition", 0),
                  p.value("aggregate", "")});
    }
    if (batch->next.value() <= from.value())
      break;
    from = batch->next;
  }
  return out;
}

} // namespace moim::projections
