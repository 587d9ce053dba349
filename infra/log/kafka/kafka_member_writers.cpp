#include "infra/log/kafka/kafka_member_writers.hpp"

#include <spdlog/spdlog.h>

#include <functional>
#include <thread>

namespace moim::infra {

struct kafka_member_writers::lane {
  std::unique_ptr<kafka_txn_producer> producer;
  std::unique_ptr<group_commit> batcher;
};

namespace {

struct metadata_deleter {
  void operator()(rd_kafka_consumer_group_metadata_t* md) const {
    rd_kafka_consumer_group_metadata_destroy(md);
  }
};
using metadata_ptr
  = std::unique_ptr<rd_kafka_consumer_group_metadata_t, metadata_deleter>;

/// A group-bound writer: appends go to its lane's group commit with its
/// target, which release() marks when the member loses the partition.
class member_writer final : public partition_writer {
public:
  member_writer(std::shared_ptr<kafka_member_writers> owner,
                write_target_ptr target, group_commit& batcher, int partitions)
    : owner_(std::move(owner)), target_(std::move(target)), batcher_(batcher),
      partitions_(partitions) {
    // nop
  }

  ~member_writer() override {
    target_->released = true;
  }

  open_append_ptr append_at(std::vector<events::event_envelope> batch,
                            write_epoch at, append_callback done) override {
    if (auto misrouted = check_routing(batch, target_->where, partitions_)) {
      target_->refuse(done, std::move(*misrouted));
      return nullptr;
    }
    return batcher_.append(target_, std::move(batch), at, std::move(done));
  }

  bool extend(const open_append_ptr& open,
              std::vector<events::event_envelope>& more) override {
    return !check_routing(more, target_->where, partitions_)
           && batcher_.extend(open, more);
  }

  write_epoch epoch() const override {
    return target_->epoch();
  }

  const topic_partition& where() const override {
    return target_->where;
  }

  /// Of the lane: every partition that shares its producer.
  writer_stats stats() const override {
    return batcher_.stats();
  }

private:
  std::shared_ptr<kafka_member_writers> owner_; ///< keeps the lanes alive
  write_target_ptr target_;
  group_commit& batcher_;
  int partitions_;
};

std::string not_owned(const topic_partition& where) {
  return where.text()
         + " is no longer this node's: the group gave it to another member; "
           "retry where it is";
}

} // namespace

result<std::shared_ptr<kafka_member_writers>> kafka_member_writers::open(
  const kafka_log_options& options, std::shared_ptr<rd_kafka_t> consumer,
  const std::string& group, const std::string& instance_id,
  std::map<std::string, int> partitions) {
  if (instance_id.empty())
    return error{errc::invalid,
                 "writing through group " + group
                   + " needs static membership (a group.instance.id): "
                     "without it the group coordinator cannot fence a "
                     "member it has moved on from"};
  auto probe = make_kafka_client(
    RD_KAFKA_CONSUMER,
    {{"bootstrap.servers", options.brokers},
     {"group.id", options.transactional_id_prefix + "-probe"},
     {"isolation.level", "read_uncommitted"},
     {"enable.auto.commit", "false"}});
  if (!probe)
    return probe.err();
  std::shared_ptr<kafka_member_writers> w{new kafka_member_writers(
    options, std::move(consumer), std::move(partitions))};
  w->probe_ = std::move(*probe);
  auto count = std::max(1, options.member_producers);
  for (int k = 0; k < count; ++k) {
    auto producer = kafka_txn_producer::open(
      options.brokers,
      options.transactional_id_prefix + "-" + group + "-" + instance_id + "-"
        + std::to_string(k),
      options.timeout, options.transaction_timeout);
    if (!producer)
      return producer.err();
    auto l = std::make_unique<lane>();
    l->producer = std::move(*producer);
    l->producer->observe_into(options.commit.metrics);
    auto* self = w.get();
    auto* p = l->producer.get();
    l->batcher = std::make_unique<group_commit>(
      options.commit, [self, p](const std::vector<commit_item>& group) {
        return self->commit(*p, group);
      });
    w->lanes_.push_back(std::move(l));
  }
  return w;
}

kafka_member_writers::kafka_member_writers(
  const kafka_log_options& options, std::shared_ptr<rd_kafka_t> consumer,
  std::map<std::string, int> partitions)
  : options_(options), consumer_(std::move(consumer)),
    partitions_(std::move(partitions)) {
  // nop
}

kafka_member_writers::~kafka_member_writers() {
  close();
  lanes_.clear(); // joins their threads before the members they use go
  if (probe_)
    rd_kafka_consumer_close(probe_.get());
}

std::optional<error>
kafka_member_writers::wait_settled(const topic_partition& where) {
  auto timeout_ms = static_cast<int>(options_.timeout.count());
  auto deadline = std::chrono::steady_clock::now()
                  + options_.transaction_timeout + std::chrono::seconds{5};
  bool logged = false;
  for (;;) {
    std::int64_t low = 0;
    std::int64_t stable = 0; // read_committed: the last stable offset
    std::int64_t high = 0;
    auto err = rd_kafka_query_watermark_offsets(
      consumer_.get(), where.topic.c_str(), where.partition.value(), &low,
      &stable, timeout_ms);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
      err = rd_kafka_query_watermark_offsets(probe_.get(), where.topic.c_str(),
                                             where.partition.value(), &low,
                                             &high, timeout_ms);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return error{errc::unreachable, "cannot learn the end of " + where.text()
                                        + ": " + rd_kafka_err2str(err)};
    if (stable >= high)
      return std::nullopt;
    if (std::chrono::steady_clock::now() >= deadline)
      return error{errc::timeout,
                   where.text() + " still has a transaction open at offset "
                     + std::to_string(stable)
                     + " after the transaction timeout: its earlier owner's "
                       "producer did not finish it"};
    if (!logged) {
      spdlog::info("{}: waiting for an earlier owner's open transaction "
                   "(stable offset {}, high watermark {})",
                   where.text(), stable, high);
      logged = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
}

result<std::unique_ptr<partition_writer>>
kafka_member_writers::open_writer(const topic_partition& where) {
  auto found = partitions_.find(where.topic);
  if (found == partitions_.end() || where.partition.value() < 0
      || where.partition.value() >= found->second)
    return error{errc::invalid,
                 where.text() + " is not a partition of a provisioned topic"};
  if (closed_)
    return error{errc::rejected, not_owned(where)};
  if (auto err = wait_settled(where))
    return *err;
  auto target = targets_.claim(where);
  auto lane = std::hash<std::string>{}(where.text()) % lanes_.size();
  // The writer keeps this object, and so its lane, alive.
  return std::unique_ptr<partition_writer>{
    std::make_unique<member_writer>(shared_from_this(), std::move(target),
                                    *lanes_[lane]->batcher, found->second)};
}

void kafka_member_writers::release(
  const std::vector<topic_partition>& partitions) {
  targets_.release(partitions);
}

void kafka_member_writers::close() {
  closed_ = true;
  targets_.release_all();
}

std::vector<append_result>
kafka_member_writers::commit(kafka_txn_producer& producer,
                             const std::vector<commit_item>& group) {
  // What the group says of this member, read before the ownership checks
  // below (see the class comment for why this order fences).
  metadata_ptr metadata{rd_kafka_consumer_group_metadata(consumer_.get())};
  std::vector<append_result> out(group.size(),
                                 append_result{error{errc::rejected, ""}});
  std::vector<commit_item> live;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (closed_ || group[i].target.released.load()) {
      out[i] = error{errc::rejected, not_owned(group[i].target.where)};
      continue;
    }
    live.push_back(group[i]);
    index.push_back(i);
  }
  if (live.empty())
    return out;
  auto timeout_ms = static_cast<int>(options_.timeout.count());
  auto send_offsets = [&metadata, timeout_ms](
                        rd_kafka_t* rk, const std::vector<commit_item>& items,
                        const std::vector<events::log_position>& positions) {
    std::map<topic_partition, std::int64_t> next;
    std::size_t i = 0;
    for (const auto& item : items)
      for (std::size_t k = 0; k < item.events.size(); ++k, ++i) {
        auto& n = next[item.target.where];
        n = std::max(n, positions[i].offset.value() + 1);
      }
    partition_list offsets{
      rd_kafka_topic_partition_list_new(static_cast<int>(next.size()))};
    for (const auto& [tp, offset] : next)
      rd_kafka_topic_partition_list_add(offsets.get(), tp.topic.c_str(),
                                        tp.partition.value())
        ->offset
        = offset;
    return kafka_error_ptr{rd_kafka_send_offsets_to_transaction(
      rk, offsets.get(), metadata.get(), timeout_ms)};
  };
  auto results = split_positions(live, producer.commit(live, send_offsets));
  for (std::size_t j = 0; j < live.size(); ++j)
    out[index[j]] = std::move(results[j]);
  return out;
}

} // namespace moim::infra
