#include "infra/redis/redis_url.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <hiredis/hiredis.h>

#include <memory>

using namespace moim::test;

namespace {

using reply_ptr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

reply_ptr command(redisContext* ctx, const char* format, const std::string& a,
                  const std::string& b = {}) {
  auto* raw = b.empty() ? redisCommand(ctx, format, a.c_str())
                        : redisCommand(ctx, format, a.c_str(), b.c_str());
  REQUIRE(raw != nullptr);
  return {static_cast<redisReply*>(raw), &freeReplyObject};
}

} // namespace

TEST_CASE("redis: a round trip through hiredis") {
  auto ep = moim::infra::parse_redis_url(stack_env("MOIM_REDIS_URL"));
  REQUIRE(ep);
  std::unique_ptr<redisContext, decltype(&redisFree)> ctx{
    redisConnect(ep->host.c_str(), ep->port), &redisFree};
  REQUIRE(ctx);
  INFO(ctx->errstr);
  REQUIRE(ctx->err == 0);
  auto key = unique_name("moim:it");
  auto set = command(ctx.get(), "SET %s %s", key, "hello moim");
  CHECK(set->type == REDIS_REPLY_STATUS);
  auto get = command(ctx.get(), "GET %s", key);
  REQUIRE(get->type == REDIS_REPLY_STRING);
  CHECK(std::string(get->str, get->len) == "hello moim");
  auto counter = unique_name("moim:it:count");
  command(ctx.get(), "INCR %s", counter);
  auto incr = command(ctx.get(), "INCR %s", counter);
  CHECK(incr->integer == 2);
  auto del = command(ctx.get(), "DEL %s %s", key, counter);
  CHECK(del->integer == 2);
  auto gone = command(ctx.get(), "GET %s", key);
  CHECK(gone->type == REDIS_REPLY_NIL);
}
