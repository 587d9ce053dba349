#include "infra/log/kafka/kafka_subscription.hpp"

#include "infra/log/kafka/kafka_member_writers.hpp"
#include "infra/log/kafka/kafka_record.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace moim::infra {

namespace {

std::vector<topic_partition>
to_vector(const rd_kafka_topic_partition_list_t* list) {
  std::vector<topic_partition> out;
  for (int i = 0; i < list->cnt; ++i)
    out.push_back(
      {list->elems[i].topic, events::partition_id{list->elems[i].partition}});
  return out;
}

} // namespace

kafka_subscription::kafka_subscription(const kafka_log_options& log,
                                       std::map<std::string, int> partitions,
                                       std::string group,
                                       rebalance_listener listener,
                                       subscription_options options)
  : log_(log), partitions_(std::move(partitions)), group_(std::move(group)),
    listener_(std::move(listener)), options_(std::move(options)) {
  // nop
}

result<std::unique_ptr<kafka_subscription>> kafka_subscription::open(
  const kafka_log_options& log, std::map<std::string, int> partitions,
  const std::string& group, const std::vector<std::string>& topics,
  rebalance_listener listener, subscription_options options) {
  std::unique_ptr<kafka_subscription> sub{new kafka_subscription(
    log, std::move(partitions), group, std::move(listener), options)};
  std::vector<std::pair<std::string, std::string>> settings{
    {"bootstrap.servers", log.brokers},
    {"group.id", group},
    {"isolation.level", "read_committed"},
    {"auto.offset.reset", options.fetch_records ? "earliest" : "latest"},
    {"enable.auto.commit",
     options.fetch_records && !options.start_at ? "true" : "false"},
    {"fetch.wait.max.ms", "50"}};
  if (!options.instance_id.empty())
    settings.emplace_back("group.instance.id", options.instance_id);
  if (options.max_poll_interval.count() > 0) {
    auto ms = std::to_string(options.max_poll_interval.count());
    settings.emplace_back("max.poll.interval.ms", ms);
    settings.emplace_back("session.timeout.ms", ms);
  }
  if (options.session_timeout.count() > 0)
    settings.emplace_back("session.timeout.ms",
                          std::to_string(options.session_timeout.count()));
  auto consumer
    = make_kafka_client(RD_KAFKA_CONSUMER, settings,
                        &kafka_subscription::install_rebalance_cb, sub.get());
  if (!consumer)
    return consumer.err();
  sub->consumer_ = std::shared_ptr<rd_kafka_t>{std::move(*consumer)};
  rd_kafka_poll_set_consumer(sub->consumer_.get());
  auto* list
    = rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()));
  for (const auto& t : topics)
    rd_kafka_topic_partition_list_add(list, t.c_str(), RD_KAFKA_PARTITION_UA);
  auto err = rd_kafka_subscribe(sub->consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return error{errc::rejected, std::string{"cannot subscribe group "} + group
                                   + ": " + rd_kafka_err2str(err)};
  return sub;
}

kafka_subscription::~kafka_subscription() {
  if (consumer_)
    rd_kafka_consumer_close(consumer_.get());
  if (writers_) // writers still held elsewhere commit nothing more
    writers_->close();
}

void kafka_subscription::on_rebalance(
  rd_kafka_t* rk, rd_kafka_resp_err_t err,
  rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* self = static_cast<kafka_subscription*>(opaque);
  auto changed = to_vector(partitions);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (self->options_.start_at)
      for (int i = 0; i < partitions->cnt; ++i)
        partitions->elems[i].offset
          = self->options_.start_at(changed[static_cast<std::size_t>(i)])
              .value();
    rd_kafka_assign(rk, partitions);
    if (!self->options_.fetch_records) // a member for the assignment only
      rd_kafka_pause_partitions(rk, partitions);
    for (const auto& tp : changed)
      self->assigned_.push_back(tp);
    if (self->listener_.assigned)
      self->listener_.assigned(changed);
  } else {
    if (rd_kafka_assignment_lost(rk) != 0 && self->listener_.lost)
      self->listener_.lost(changed);
    else if (self->listener_.revoked)
      self->listener_.revoked(changed);
    // Before the member rejoins (after this callback): a writer of these
    // partitions commits nothing from now on.
    if (self->writers_)
      self->writers_->release(changed);
    rd_kafka_assign(rk, nullptr);
    self->assigned_.clear();
  }
}

void kafka_subscription::install_rebalance_cb(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_rebalance_cb(conf, &kafka_subscription::on_rebalance);
}

result<std::vector<log_record>>
kafka_subscription::poll(std::chrono::milliseconds timeout) {
  std::vector<log_record> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    auto wait = out.empty() ? std::max<long long>(left.count(), 0) : 0;
    auto* msg = rd_kafka_consumer_poll(consumer_.get(), static_cast<int>(wait));
    if (msg == nullptr)
      return out;
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto record = from_kafka_message(*msg);
      if (record)
        out.push_back(std::move(*record));
      else if (options_.bad_records == bad_record_policy::deliver)
        out.push_back(read_message(*msg));
      else
        spdlog::warn("skipping a bad record: {}", record.err().text());
    } else if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      spdlog::warn("consumer: {}", rd_kafka_message_errstr(msg));
    }
    rd_kafka_message_destroy(msg);
    if (out.size() >= 500)
      return out;
  }
}

std::vector<topic_partition> kafka_subscription::assignment() const {
  return assigned_;
}

result<std::unique_ptr<partition_writer>>
kafka_subscription::open_writer(const topic_partition& where) {
  if (std::find(assigned_.begin(), assigned_.end(), where) == assigned_.end())
    return error{errc::rejected,
                 where.text() + " is not assigned to this member of " + group_};
  if (!writers_) {
    auto writers = kafka_member_writers::open(
      log_, consumer_, group_, options_.instance_id, partitions_);
    if (!writers)
      return writers.err();
    writers_ = std::move(*writers);
  }
  return writers_->open_writer(where);
}

} // namespace moim::infra
