#include "infra/log/embedded/embedded_log.hpp"

#include "infra/log/embedded/embedded_state.hpp"
#include "infra/log/embedded/embedded_subscription.hpp"
#include "infra/log/embedded/embedded_writer.hpp"

#include <rocksdb/options.h>

#include <filesystem>

namespace moim::infra {

namespace {

error unknown_partition(const topic_partition& tp) {
  return error{errc::invalid,
               tp.text() + " does not exist in the embedded log"};
}

} // namespace

result<std::unique_ptr<embedded_log>>
embedded_log::open(embedded_log_options options) {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec)
    return error{errc::invalid, "cannot create the embedded log folder "
                                  + options.path + ": " + ec.message()};
  rocksdb::Options opts;
  opts.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  auto status = rocksdb::DB::Open(opts, options.path, &raw);
  if (!status.ok()) {
    auto text = status.ToString();
    if (text.find("lock") != std::string::npos
        || text.find("LOCK") != std::string::npos)
      return error{errc::rejected,
                   "the embedded log at " + options.path
                     + " is in use by another process (" + text
                     + "); stop it or set embedded.path to another folder"};
    return error{errc::unreachable, "cannot open the embedded log at "
                                      + options.path + ": " + text};
  }
  auto st = std::make_shared<state>();
  st->db.reset(raw);
  st->options = std::move(options);
  for (const auto& [topic, partitions] : st->options.topics) {
    for (int p = 0; p < partitions; ++p) {
      topic_partition tp{topic, events::partition_id{p}};
      std::string value;
      auto s = st->db->Get(rocksdb::ReadOptions{}, end_key(tp), &value);
      st->end[tp] = s.ok() ? decode_offset(value) : 0;
      st->partition_locks[tp] = std::make_unique<std::mutex>();
    }
  }
  return std::unique_ptr<embedded_log>{new embedded_log(std::move(st))};
}

embedded_log::embedded_log(std::shared_ptr<state> st) : state_(std::move(st)) {
  // nop
}

embedded_log::~embedded_log() = default;

result<std::unique_ptr<partition_writer>>
embedded_log::open_writer(const topic_partition& where) {
  if (!state_->has_partition(where))
    return unknown_partition(where);
  return open_embedded_writer(state_, std::make_shared<write_target>(where));
}

result<read_batch> embedded_log::read(const topic_partition& where,
                                      events::log_offset from, std::size_t max,
                                      bad_record_policy policy) {
  if (!state_->has_partition(where))
    return unknown_partition(where);
  return read_partition(*state_, where, from, max, policy);
}

result<events::log_offset>
embedded_log::end_offset(const topic_partition& where) {
  if (!state_->has_partition(where))
    return unknown_partition(where);
  std::lock_guard<std::mutex> guard{state_->mtx};
  return events::log_offset{state_->end[where]};
}

int embedded_log::partition_count(const std::string& topic) const {
  auto found = state_->options.topics.find(topic);
  return found == state_->options.topics.end() ? 0 : found->second;
}

result<std::unique_ptr<group_subscription>> embedded_log::subscribe(
  const std::string& group, const std::vector<std::string>& topics,
  rebalance_listener listener, subscription_options options) {
  for (const auto& topic : topics)
    if (state_->options.topics.count(topic) == 0)
      return error{errc::invalid,
                   "topic " + topic + " does not exist in the embedded log"};
  return std::unique_ptr<group_subscription>{
    std::make_unique<embedded_subscription>(
      state_, group, topics, std::move(listener), std::move(options))};
}

} // namespace moim::infra
