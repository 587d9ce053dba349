#include "infra/redis/redis_client.hpp"

#include "infra/redis/redis_url.hpp"

#include <hiredis/hiredis.h>

namespace moim::infra {

namespace {

struct reply_deleter {
  void operator()(redisReply* r) const {
    freeReplyObject(r);
  }
};

timeval to_timeval(std::chrono::milliseconds t) {
  return {static_cast<time_t>(t.count() / 1000),
          static_cast<suseconds_t>((t.count() % 1000) * 1000)};
}

redis_value value_of(const redisReply& r) {
  redis_value v;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      v.type = redis_value::kind::integer;
      v.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      v.type = redis_value::kind::text;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      v.type = redis_value::kind::error;
      v.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      v.type = redis_value::kind::array;
      v.items.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i)
        v.items.push_back(value_of(*r.element[i]));
      break;
    default: break; // nil
  }
  return v;
}

} // namespace

redis_client::redis_client(std::string url, std::chrono::milliseconds timeout)
  : url_(std::move(url)), timeout_(timeout) {
  // nop
}

redis_client::~redis_client() {
  if (ctx_ != nullptr)
    redisFree(ctx_);
}

std::optional<error> redis_client::connect() {
  if (ctx_ != nullptr)
    return std::nullopt;
  auto ep = parse_redis_url(url_);
  if (!ep)
    return ep.err();
  ctx_
    = redisConnectWithTimeout(ep->host.c_str(), ep->port, to_timeval(timeout_));
  if (ctx_ == nullptr)
    return error{errc::unreachable, "redis: cannot allocate a connection"};
  if (ctx_->err != 0) {
    error e{errc::unreachable, "redis at " + ep->host + ":"
                                 + std::to_string(ep->port) + ": "
                                 + ctx_->errstr};
    redisFree(ctx_);
    ctx_ = nullptr;
    return e;
  }
  redisSetTimeout(ctx_, to_timeval(timeout_));
  return std::nullopt;
}

result<std::optional<std::string>>
redis_client::command(const std::vector<std::string>& words) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& w : words) {
    argv.push_back(w.data());
    lengths.push_back(w.size());
  }
  std::lock_guard<std::mutex> guard{mtx_};
  // One retry on a fresh connection: the old one may have been dropped.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto failed = connect())
      return *failed;
    std::unique_ptr<redisReply, reply_deleter> reply{
      static_cast<redisReply*>(redisCommandArgv(
        ctx_, static_cast<int>(argv.size()), argv.data(), lengths.data()))};
    if (!reply) {
      error e{errc::unreachable, std::string{"redis: "} + ctx_->errstr};
      redisFree(ctx_);
      ctx_ = nullptr;
      if (attempt == 1)
        return e;
      continue;
    }
    switch (reply->type) {
      case REDIS_REPLY_NIL: return std::optional<std::string>{};
      case REDIS_REPLY_INTEGER:
        return std::optional<std::string>{std::to_string(reply->integer)};
      case REDIS_REPLY_STRING:
      case REDIS_REPLY_STATUS:
        return std::optional<std::string>{std::string{reply->str, reply->len}};
      case REDIS_REPLY_ERROR:
        return error{errc::rejected,
                     "redis: " + std::string{reply->str, reply->len}};
      default: return error{errc::protocol, "redis: an unexpected reply type"};
    }
  }
  return error{errc::unreachable, "redis: no answer"};
}

result<std::vector<redis_value>>
redis_client::pipeline(const std::vector<std::vector<std::string>>& commands,
                       bool retry_once) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (int attempt = 0;; ++attempt) {
    if (auto failed = connect())
      return *failed;
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& words : commands) {
      argv.clear();
      lengths.clear();
      for (const auto& w : words) {
        argv.push_back(w.data());
        lengths.push_back(w.size());
      }
      redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(),
                             lengths.data());
    }
    std::vector<redis_value> out;
    out.reserve(commands.size());
    bool broken = false;
    for (std::size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
        broken = true;
        break;
      }
      std::unique_ptr<redisReply, reply_deleter> reply{
        static_cast<redisReply*>(raw)};
      out.push_back(value_of(*reply));
    }
    if (!broken)
      return out;
    error e{errc::unreachable, std::string{"redis: "} + ctx_->errstr};
    redisFree(ctx_);
    ctx_ = nullptr;
    if (!retry_once || attempt == 1)
      return e;
  }
}

result<std::vector<std::string>>
redis_client::keys_matching(const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto got
      = pipeline({{"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"}}, true);
    if (!got)
      return got.err();
    const auto& reply = got->front();
    if (reply.type != redis_value::kind::array || reply.items.size() != 2)
      return error{errc::protocol, "redis: SCAN answered " + reply.text};
    cursor = reply.items[0].text;
    for (const auto& k : reply.items[1].items)
      keys.push_back(k.text);
  } while (cursor != "0");
  return keys;
}

} // namespace moim::infra
