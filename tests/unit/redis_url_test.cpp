#include "infra/redis/redis_url.hpp"

#include <catch2/catch.hpp>

using moim::infra::parse_redis_url;

TEST_CASE("redis url: host and port") {
  auto ep = parse_redis_url("redis://127.0.0.1:16379");
  REQUIRE(ep);
  CHECK(ep->host == "127.0.0.1");
  CHECK(ep->port == 16379);
  auto default_port = parse_redis_url("redis://cache/0");
  REQUIRE(default_port);
  CHECK(default_port->port == 6379);
}

TEST_CASE("redis url: malformed input is an error that says what is wrong") {
  for (auto bad :
       {"http://x:1", "redis://:1", "redis://h:port", "redis://h:99999", ""}) {
    auto ep = parse_redis_url(bad);
    CHECK_FALSE(ep);
    if (!ep)
      CHECK_THAT(ep.err().message, Catch::Contains("expected redis://"));
  }
}
