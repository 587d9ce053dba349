#include "projections/redis/redis_read_model.hpp"

#include "infra/redis/redis_client.hpp"
#include "projections/redis/keys.hpp"

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
  auto ids = (*conn).pipeline({{"ZREVRANGE",
                                redis_keys::user_rooms(prefix_, user), "0",
                                std::to_string(limit - 1), "WITHSCORES"}},
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

} // namespace moim::projections
