#include "tests/integration/log_factories.hpp"

#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace moim::test {

embedded_factory::embedded_factory() {
  dir = (std::filesystem::temp_directory_path() / unique_name("moim-log"))
          .string();
}

embedded_factory::~embedded_factory() {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

std::unique_ptr<infra::event_log>
embedded_factory::open(const std::map<std::string, int>& topics) {
  auto log = infra::embedded_log::open({dir, topics, {}});
  INFO((log ? std::string{} : log.err().message));
  REQUIRE(log);
  return std::move(*log);
}

std::string embedded_factory::topic(const std::string& name) {
  return "moim.test." + name;
}

kafka_factory::kafka_factory()
  : brokers(stack_env("MOIM_KAFKA_BROKERS")), prefix(unique_name("moim-test")) {
  // nop
}

std::unique_ptr<infra::event_log>
kafka_factory::open(const std::map<std::string, int>& topics) {
  infra::kafka_log_options options;
  options.brokers = brokers;
  options.topics = topics;
  options.replication_factor = 1;
  options.transactional_id_prefix = prefix;
  auto log = infra::kafka_log::open(options);
  INFO((log ? std::string{} : log.err().message));
  REQUIRE(log);
  return std::move(*log);
}

std::string kafka_factory::topic(const std::string& name) {
  return unique_name("moim.test." + name);
}

events::aggregate_id aggregate_in(const infra::event_log& log,
                                  const std::string& topic,
                                  events::partition_id partition,
                                  const std::string& stem) {
  for (int i = 0;; ++i) {
    events::aggregate_id id{stem + "-" + std::to_string(i)};
    if (log.partition_of(topic, id) == partition)
      return id;
  }
}

events::event_envelope message_event(const events::aggregate_id& aggregate,
                                     std::uint64_t seq,
                                     const std::string& text) {
  return events::encode(
    events::room_message_posted{events::room_id{aggregate.value()},
                                events::message_seq{seq}, events::user_id{"u1"},
                                text, ""},
    {aggregate, events::aggregate_seq{seq}, {}, {}, {}});
}

std::string text_of(const infra::log_record& record) {
  REQUIRE(record.decoded.size() == 1);
  return std::get<events::room_message_posted>(record.decoded.front().event)
    .text;
}

std::vector<infra::log_record> read_all(infra::event_log& log,
                                        const infra::topic_partition& tp) {
  std::vector<infra::log_record> out;
  events::log_offset from{0};
  for (;;) {
    auto batch = log.read(tp, from, 1000, infra::bad_record_policy::stop);
    INFO((batch ? std::string{} : batch.err().message));
    REQUIRE(batch);
    INFO((batch->stopped ? batch->stopped->text() : std::string{}));
    REQUIRE_FALSE(batch->stopped);
    if (batch->records.empty())
      return out;
    for (auto& r : batch->records)
      out.push_back(std::move(r));
    from = batch->next;
  }
}

group_owner::group_owner(infra::event_log& log, const std::string& group,
                         const std::string& topic,
                         std::chrono::milliseconds max_poll) {
  infra::subscription_options options;
  options.instance_id = unique_name("node");
  options.fetch_records = false;
  options.max_poll_interval = max_poll;
  auto forget = [this](const std::vector<infra::topic_partition>& tps) {
    for (const auto& tp : tps)
      owned.erase(tp);
  };
  auto opened
    = log.subscribe(group, {topic},
                    {[this](const std::vector<infra::topic_partition>& tps) {
                       owned.insert(tps.begin(), tps.end());
                     },
                     forget, forget},
                    options);
  REQUIRE(opened);
  sub = std::move(*opened);
}

void group_owner::poll_until(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{90};
  while (!done() && std::chrono::steady_clock::now() < deadline)
    REQUIRE(sub->poll(std::chrono::milliseconds{100}));
  REQUIRE(done());
}

} // namespace moim::test
