#include "infra/redis/redis_probe.hpp"

#include "infra/redis/redis_url.hpp"

#include <hiredis/hiredis.h>

#include <memory>

namespace moim::infra {

namespace {

struct context_deleter {
  void operator()(redisContext* c) const {
    redisFree(c);
  }
};

struct reply_deleter {
  void operator()(redisReply* r) const {
    freeReplyObject(r);
  }
};

} // namespace

std::optional<std::string> probe_redis(const std::string& url,
                                       std::chrono::milliseconds timeout) {
  auto ep = parse_redis_url(url);
  if (!ep)
    return ep.err().message;
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  std::unique_ptr<redisContext, context_deleter> ctx{
    redisConnectWithTimeout(ep->host.c_str(), ep->port, tv)};
  if (!ctx)
    return std::string{"redis: out of memory"};
  if (ctx->err)
    return "redis at " + ep->host + ":" + std::to_string(ep->port) + ": "
           + ctx->errstr;
  redisSetTimeout(ctx.get(), tv);
  std::unique_ptr<redisReply, reply_deleter> reply{
    static_cast<redisReply*>(redisCommand(ctx.get(), "PING"))};
  if (!reply)
    return "redis PING failed: " + std::string{ctx->errstr};
  if (reply->type != REDIS_REPLY_STATUS || std::string{reply->str} != "PONG")
    return "redis PING answered unexpectedly: "
           + std::string{reply->str ? reply->str : "(nil)"};
  return std::nullopt;
}

} // namespace moim::infra
