#include "infra/log/kafka/kafka_log.hpp"

#include "infra/log/kafka/kafka_log_impl.hpp"
#include "infra/log/kafka/kafka_record.hpp"
#include "infra/log/kafka/kafka_subscription.hpp"
#include "infra/log/kafka/kafka_writer.hpp"

namespace moim::infra {

namespace {

struct message_deleter {
  void operator()(rd_kafka_message_t* m) const {
    rd_kafka_message_destroy(m);
  }
};
using message_ptr = std::unique_ptr<rd_kafka_message_t, message_deleter>;

} // namespace

result<std::unique_ptr<kafka_log>> kafka_log::open(kafka_log_options options) {
  auto d = std::make_unique<impl>();
  d->options = std::move(options);
  {
    auto admin = make_kafka_client(RD_KAFKA_PRODUCER,
                                   {{"bootstrap.servers", d->options.brokers}});
    if (!admin)
      return admin.err();
    if (auto err = provision_topics(*d, admin->get()))
      return *err;
  }
  auto reader = make_kafka_client(
    RD_KAFKA_CONSUMER,
    {{"bootstrap.servers", d->options.brokers},
     {"group.id", d->options.transactional_id_prefix + "-reader"},
     {"isolation.level", "read_committed"},
     {"enable.auto.commit", "false"},
     {"enable.auto.offset.store", "false"},
     {"enable.partition.eof", "true"},
     // A catch-up reader: at the end of a partition the broker must not
     // hold the fetch open waiting for more data.
     {"fetch.wait.max.ms", "5"},
     // What it fetches ahead while a read goes on (the default is 64 MiB).
     {"queued.max.messages.kbytes", "16384"},
     {"auto.offset.reset", "earliest"}});
  if (!reader)
    return reader.err();
  d->reader = std::move(*reader);
  return std::unique_ptr<kafka_log>{new kafka_log(std::move(d))};
}

kafka_log::kafka_log(std::unique_ptr<impl> d) : impl_(std::move(d)) {
  // nop
}

kafka_log::~kafka_log() {
  if (impl_ && impl_->reader)
    rd_kafka_consumer_close(impl_->reader.get());
}

const std::vector<std::string>& kafka_log::warnings() const noexcept {
  return impl_->warnings;
}

int kafka_log::replication_factor() const noexcept {
  return impl_->replication_factor;
}

int kafka_log::partition_count(const std::string& topic) const {
  auto found = impl_->partitions.find(topic);
  return found == impl_->partitions.end() ? 0 : found->second;
}

result<std::unique_ptr<partition_writer>>
kafka_log::open_writer(const topic_partition& where) {
  auto partitions = partition_count(where.topic);
  if (where.partition.value() < 0 || where.partition.value() >= partitions)
    return error{errc::invalid, where.text()
                                  + " is not a partition of a "
                                    "provisioned topic"};
  auto writer = kafka_writer::open(impl_->options, where, partitions);
  if (!writer)
    return writer.err();
  return std::unique_ptr<partition_writer>{std::move(*writer)};
}

result<read_batch> kafka_log::read(const topic_partition& where,
                                   events::log_offset from, std::size_t max,
                                   bad_record_policy policy) {
  std::lock_guard<std::mutex> guard{impl_->reader_mtx};
  auto* rk = impl_->reader.get();
  auto& cursor = impl_->cursor;
  // Events of an earlier read (records beyond its `max`, its end-of-
  // partition event) must not end this one early.
  auto drain = [rk] {
    while (auto* stale = rd_kafka_consumer_poll(rk, 0))
      rd_kafka_message_destroy(stale);
  };
  auto stop = [rk, &cursor, &drain] {
    cursor.reset();
    rd_kafka_assign(rk, nullptr);
    drain();
  };
  bool goes_on = cursor && cursor->first == where && cursor->second == from;
  if (!goes_on) {
    stop();
    partition_list list{rd_kafka_topic_partition_list_new(1)};
    rd_kafka_topic_partition_list_add(list.get(), where.topic.c_str(),
                                      where.partition.value())
      ->offset
      = from.value();
    if (auto err = rd_kafka_assign(rk, list.get()))
      return error{errc::unreachable, "cannot read " + where.text() + ": "
                                        + rd_kafka_err2str(err)};
  }
  read_batch out;
  out.next = from;
  auto deadline = std::chrono::steady_clock::now() + impl_->options.timeout;
  bool at_end = false;
  while (!at_end && out.records.size() < max && !out.stopped) {
    if (std::chrono::steady_clock::now() >= deadline) {
      stop();
      return error{errc::timeout, "reading " + where.text()
                                    + " did not reach its end in time"};
    }
    message_ptr msg{rd_kafka_consumer_poll(rk, 100)};
    if (!msg)
      continue;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end = msg->partition == where.partition.value();
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto text = std::string{rd_kafka_message_errstr(msg.get())};
      stop();
      return error{errc::unreachable, "reading " + where.text() + ": " + text};
    }
    if (msg->partition != where.partition.value()
        || msg->offset < out.next.value())
      continue; // left over from an earlier assignment
    auto record = from_kafka_message(*msg);
    if (!record) {
      if (policy == bad_record_policy::stop) {
        out.stopped = record.err();
        break;
      }
      if (policy == bad_record_policy::deliver)
        out.records.push_back(read_message(*msg));
      else
        out.skipped.push_back(record.err());
    } else {
      out.records.push_back(std::move(*record));
    }
    out.next = events::log_offset{msg->offset + 1};
  }
  if (at_end || out.stopped)
    stop();
  else // stopped at `max`: the next read of this partition goes on here
    cursor.emplace(where, out.next);
  return out;
}

result<events::log_offset> kafka_log::end_offset(const topic_partition& where) {
  std::lock_guard<std::mutex> guard{impl_->reader_mtx};
  std::int64_t low = 0;
  std::int64_t high = 0;
  auto err = rd_kafka_query_watermark_offsets(
    impl_->reader.get(), where.topic.c_str(), where.partition.value(), &low,
    &high, static_cast<int>(impl_->options.timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return error{errc::unreachable, "cannot learn the end of " + where.text()
                                      + ": " + rd_kafka_err2str(err)};
  return events::log_offset{high};
}

result<std::unique_ptr<group_subscription>> kafka_log::subscribe(
  const std::string& group, const std::vector<std::string>& topics,
  rebalance_listener listener, subscription_options options) {
  auto sub
    = kafka_subscription::open(impl_->options, impl_->partitions, group, topics,
                               std::move(listener), std::move(options));
  if (!sub)
    return sub.err();
  return std::unique_ptr<group_subscription>{std::move(*sub)};
}

} // namespace moim::infra
