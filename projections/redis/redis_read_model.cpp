#include "projections/redis/redis_read_model.hpp"

#include "infra/redis/redis_client.hpp"
#include "projections/redis/keys.hpp"

#include <set>

namespace moim::projections {

/// A connection taken from the pool for one query.
class redis_read_model::lease {
public:
  explicit lease(redis_read_model& pool) : pool_(pool) {
    std::lock_guard<std::mutex> guard{pool_.mtx_};
    if (!pool_.idle_.empty()) {
      conn_ = std::move(pool_.idle_.back());
      pool_.idle_.pop_back();
    } else {
      conn_ = std::make_unique<infra::redis_client>(pool_.url_, pool_.timeout_);
    }
  }
  ~lease() {
    std::lock_guard<std::mutex> guard{pool_.mtx_};
    if (pool_.idle_.size() < pool_.max_)
      pool_.idle_.push_back(std::move(conn_));
  }
  lease(const lease&) = delete;
  lease& operator=(const lease&) = delete;

  infra::redis_client& operator*() {
    return *conn_;
  }

private:
  redis_read_model& pool_;
  std::unique_ptr<infra::redis_client> conn_;
};

redis_read_model::redis_read_model(std::string url, std::string prefix,
                                   std::chrono::milliseconds timeout,
                                   std::size_t connections)
  : url_(std::move(url)), prefix_(std::move(prefix)), timeout_(timeout),
    max_(connections) {
  // nop
}

redis_read_model::~redis_read_model() = default;

infra::result<std::vector<joined_room>>
redis_read_model::rooms_of(const std::string& user, std::size_t limit) {
  if (limit == 0)
    return std::vector<joined_room>{};
  lease conn{*this};
  auto ids
    = (*conn).pipeline({{"ZREVRANGE", redis_keys::user_rooms(prefix_, user),
                         "0", std::to_string(limit - 1), "WITHSCORES"}},
                       true);
  if (!ids)
    return ids.err();
  const auto& flat = ids->front().items; // room, score, room, score, ...
  std::vector<joined_room> out;
  std::vector<std::vector<std::string>> get;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
    joined_room r;
    r.id = flat[i].text;
    r.joined_at_ms = std::stoll(flat[i + 1].text);
    get.push_back({"HMGET", redis_keys::room(prefix_, r.id), "name", "public",
                   "direct", "members", "last_seq"});
    out.push_back(std::move(r));
  }
  if (out.empty())
    return out;
  auto rooms = (*conn).pipeline(get, true);
  if (!rooms)
    return rooms.err();
  for (std::size_t i = 0; i < out.size() && i < rooms->size(); ++i) {
    const auto& f = (*rooms)[i].items;
    if (f.size() != 5)
      continue;
    auto number = [](const infra::redis_value& v) -> std::int64_t {
      return v.is_nil() ? 0 : std::stoll(v.text);
    };
    out[i].name = f[0].text;
    out[i].is_public = f[1].text != "0";
    out[i].direct = f[2].text == "1";
    out[i].member_count = number(f[3]);
    out[i].last_message = static_cast<std::uint64_t>(number(f[4]));
  }
  return out;
}

infra::result<std::vector<std::pair<std::string, std::int64_t>>>
redis_read_model::trending(std::size_t limit) {
  using namespace redis_keys;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  std::vector<std::string> words{"ZUNION", std::to_string(trending_buckets)};
  for (std::int64_t b = 0; b < trending_buckets; ++b)
    words.push_back(
      redis_keys::trending(prefix_, now / trending_bucket_ms - b));
  words.emplace_back("WITHSCORES");
  lease conn{*this};
  auto got = (*conn).pipeline({words}, true);
  if (!got)
    return got.err();
  const auto& reply = got->front();
  if (reply.type == infra::redis_value::kind::error)
    return infra::error{infra::errc::rejected, "redis: " + reply.text};
  // Ascending by count: the most searched come last.
  std::vector<std::pair<std::string, std::int64_t>> out;
  const auto& flat = reply.items;
  for (std::size_t i = flat.size(); i >= 2 && out.size() < limit; i -= 2)
    out.emplace_back(flat[i - 2].text, std::stoll(flat[i - 1].text));
  return out;
}

infra::result<std::vector<std::string>>
redis_read_model::recent_searches(const std::string& user) {
  lease conn{*this};
  auto got = (*conn).pipeline(
    {{"LRANGE", redis_keys::recent_searches(prefix_, user), "0", "-1"}}, true);
  if (!got)
    return got.err();
  std::vector<std::string> out;
  for (const auto& v : got->front().items)
    out.push_back(v.text);
  return out;
}

infra::result<std::vector<std::string>>
redis_read_model::online(const std::string& room) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  lease conn{*this};
  auto got
    = (*conn).pipeline({{"ZRANGEBYSCORE", redis_keys::presence(prefix_, room),
                         "(" + std::to_string(now), "+inf"}},
                       true);
  if (!got)
    return got.err();
  // "<user>@<node>": a user online through several nodes counts once.
  std::set<std::string> users;
  for (const auto& v : got->front().items)
    users.insert(v.text.substr(0, v.text.rfind('@')));
  return std::vector<std::string>(users.begin(), users.end());
}

} // namespace moim::projections
