#include "projections/redis/redis_projection.hpp"

#include "events/catalogue/catalogue.hpp"
#include "infra/log/topics.hpp"
#include "infra/redis/redis_client.hpp"
#include "projections/redis/keys.hpp"

#include <spdlog/spdlog.h>

namespace moim::projections {

namespace {

using command_list = std::vector<std::vector<std::string>>;

/// The commands one event makes (inside the batch's MULTI).
class applier {
public:
  applier(const std::string& prefix, command_list& out, std::int64_t when,
          std::int64_t offset)
    : p_(prefix), out_(out), at_(when), when_(std::to_string(when)),
      offset_(std::to_string(offset)) {
    // nop
  }

  void operator()(const events::user_searched& e) {
    using namespace redis_keys;
    auto bucket = at_ / trending_bucket_ms;
    auto key = trending(p_, bucket);
    out_.push_back({"ZINCRBY", key, "1", e.text});
    out_.push_back(
      {"ZREMRANGEBYRANK", key, "0", std::to_string(-trending_kept - 1)});
    // Gone once the window has passed it (at once when rebuilding old
    // events: trending is about now).
    out_.push_back(
      {"PEXPIREAT", key,
       std::to_string((bucket + 1 + trending_buckets) * trending_bucket_ms)});
    auto recent = recent_searches(p_, e.user.value());
    out_.push_back({"LREM", recent, "0", e.text});
    out_.push_back({"LPUSH", recent, e.text});
    out_.push_back({"LTRIM", recent, "0", std::to_string(recent_kept - 1)});
  }

  void operator()(const events::room_created& e) {
    out_.push_back({"HSET", redis_keys::room(p_, e.room.value()), "name",
                    e.name, "public", e.is_public ? "1" : "0", "direct",
                    e.direct ? "1" : "0"});
  }
  void operator()(const events::room_updated& e) {
    out_.push_back({"HSET", redis_keys::room(p_, e.room.value()), "name",
                    e.name, "public", e.is_public ? "1" : "0"});
  }
  void operator()(const events::room_member_joined& e) {
    out_.push_back({"ZADD", redis_keys::user_rooms(p_, e.member.value()), when_,
                    e.room.value()});
    out_.push_back(
      {"HINCRBY", redis_keys::room(p_, e.room.value()), "members", "1"});
  }
  void operator()(const events::room_member_left& e) {
    gone(e.room.value(), e.member.value());
  }
  void operator()(const events::room_member_kicked& e) {
    gone(e.room.value(), e.member.value());
  }
  void operator()(const events::room_member_banned& e) {
    gone(e.room.value(), e.member.value());
  }
  void operator()(const events::room_message_posted& e) {
    auto key = redis_keys::room(p_, e.room.value());
    out_.push_back({"HINCRBY", key, "messages", "1"});
    out_.push_back(
      {"HSET", key, "last_seq", std::to_string(e.message.value())});
  }
  void operator()(const events::room_closed& e) {
    out_.push_back(
      {"HSET", redis_keys::room(p_, e.room.value()), "closed", "1"});
  }
  void operator()(const events::schedule_created& e) {
    out_.push_back({"HSET", redis_keys::schedule(p_, e.schedule.value()),
                    "room", e.room.value(), "title", e.title, "capacity",
                    std::to_string(e.capacity)});
  }
  void operator()(const events::schedule_seat_taken& e) {
    seat(e.schedule.value(), e.member.value());
  }
  void operator()(const events::schedule_promoted& e) {
    seat(e.schedule.value(), e.member.value());
  }
  void operator()(const events::schedule_waitlisted& e) {
    out_.push_back({"ZADD", redis_keys::waiting(p_, e.schedule.value()),
                    offset_, e.member.value()});
  }
  void operator()(const events::schedule_seat_released& e) {
    out_.push_back(
      {"SREM", redis_keys::seated(p_, e.schedule.value()), e.member.value()});
    out_.push_back(
      {"ZREM", redis_keys::waiting(p_, e.schedule.value()), e.member.value()});
  }
  void operator()(const events::schedule_closed& e) {
    out_.push_back(
      {"HSET", redis_keys::schedule(p_, e.schedule.value()), "closed", "1"});
  }
  /// Events this read model does not keep.
  template<class Other>
  void operator()(const Other&) {
    // nop
  }

private:
  void gone(const std::string& room, const std::string& member) {
    out_.push_back({"ZREM", redis_keys::user_rooms(p_, member), room});
    out_.push_back({"HINCRBY", redis_keys::room(p_, room), "members", "-1"});
  }
  void seat(const std::string& schedule, const std::string& member) {
    out_.push_back({"ZREM", redis_keys::waiting(p_, schedule), member});
    out_.push_back({"SADD", redis_keys::seated(p_, schedule), member});
  }

  const std::string& p_;
  command_list& out_;
  std::int64_t at_;
  std::string when_;
  std::string offset_;
};

/// The first error reply among `replies`, if any.
std::optional<infra::error>
first_error(const std::vector<infra::redis_value>& replies) {
  for (const auto& r : replies)
    if (r.type == infra::redis_value::kind::error)
      return infra::error{infra::errc::rejected, "redis: " + r.text};
  return std::nullopt;
}

} // namespace

redis_projection::redis_projection(redis_projection_options options)
  : options_(std::move(options)), redis_(std::make_unique<infra::redis_client>(
                                    options_.url, options_.timeout)) {
  // nop
}

redis_projection::~redis_projection() = default;

const std::string& redis_projection::name() const {
  return options_.name;
}

std::vector<std::string> redis_projection::topics() const {
  if (!options_.topics.empty())
    return options_.topics;
  return {infra::topic_of(events::aggregate_kind::user),
          infra::topic_of(events::aggregate_kind::room),
          infra::topic_of(events::aggregate_kind::schedule)};
}

infra::result<checkpoints> redis_projection::load_checkpoints() {
  // <p>projection:<name>:<topic>:<partition>, found by SCAN (a key per
  // partition: a handful).
  const auto head = options_.prefix + "projection:" + options_.name + ":";
  auto found = redis_->keys_matching(head + "*");
  if (!found)
    return found.err();
  const auto& keys = *found;
  checkpoints out;
  if (keys.empty())
    return out;
  command_list get{{"MGET"}};
  get[0].insert(get[0].end(), keys.begin(), keys.end());
  auto values = redis_->pipeline(get, true);
  if (!values)
    return values.err();
  const auto& list = values->front().items;
  for (std::size_t i = 0; i < keys.size() && i < list.size(); ++i) {
    auto rest = keys[i].substr(head.size());
    auto colon = rest.rfind(':');
    if (colon == std::string::npos || list[i].is_nil())
      continue;
    out[{rest.substr(0, colon),
         events::partition_id{std::stoi(rest.substr(colon + 1))}}]
      = events::log_offset{std::stoll(list[i].text)};
  }
  return out;
}

infra::result<applied> redis_projection::apply(const batch& b) {
  // 1. WATCH the batch's checkpoints and read them (one round trip).
  std::vector<std::string> keys;
  command_list watch{{"WATCH"}, {"MGET"}};
  for (const auto& [tp, range] : b.ranges) {
    keys.push_back(redis_keys::checkpoint(options_.prefix, options_.name,
                                          tp.topic, tp.partition.value()));
    watch[0].push_back(keys.back());
    watch[1].push_back(keys.back());
  }
  auto held = redis_->pipeline(watch);
  if (!held)
    return held.err();
  if (auto e = first_error(*held))
    return *e;
  const auto& now = (*held)[1].items;
  std::size_t i = 0;
  for (const auto& [tp, range] : b.ranges) {
    auto at = i < now.size() && !now[i].is_nil() ? std::stoll(now[i].text) : 0;
    ++i;
    if (at != range.from.value()) {
      static_cast<void>(redis_->pipeline({{"UNWATCH"}}));
      return applied::moved_on;
    }
  }
  // 2. The batch and its checkpoints in one MULTI/EXEC (one round trip).
  command_list tx{{"MULTI"}};
  for (const auto& record : b.records)
    for (const auto& d : record.decoded) {
      applier apply{options_.prefix, tx,
                    static_cast<std::int64_t>(
                      d.envelope.occurred_at.time_since_epoch().count()),
                    record.position.offset.value()};
      std::visit(apply, d.event);
    }
  i = 0;
  for (const auto& [tp, range] : b.ranges)
    tx.push_back({"SET", keys[i++], std::to_string(range.next.value())});
  tx.push_back({"EXEC"});
  auto done = redis_->pipeline(tx);
  if (!done)
    return done.err();
  const auto& exec = done->back();
  if (exec.type == infra::redis_value::kind::error)
    return infra::error{infra::errc::rejected, "redis: " + exec.text};
  if (exec.is_nil())
    return applied::moved_on; // a WATCHed checkpoint changed
  // Redis applies the rest of a transaction when one command fails (only a
  // bug in the commands above can make one fail: the keys are typed): the
  // checkpoints moved, so say so loudly and go on.
  if (auto e = first_error(exec.items))
    spdlog::error("projection {}: a command of a batch failed: {}",
                  options_.name, e->message);
  return applied::done;
}

} // namespace moim::projections
