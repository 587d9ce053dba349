// Refresh tokens in Redis (the stack's) and in memory: the same rules.

#include "gateway/refresh_sessions.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<infra::redis_client> stack_redis() {
  return std::make_shared<infra::redis_client>(stack_env("MOIM_REDIS_URL"), 2s);
}

void rotate_once_and_revoke(gateway::refresh_sessions& a,
                            gateway::refresh_sessions& b) {
  auto user = unique_name("u");
  auto first = a.open(user);
  REQUIRE(first);
  auto second = b.rotate(*first);
  REQUIRE(second);
  REQUIRE(*second);
  CHECK((*second)->first == user);
  CHECK((*second)->second != *first);
  auto reused = a.rotate(*first); // rotated: the old one is gone
  REQUIRE(reused);
  CHECK_FALSE(*reused);
  auto revoked = a.revoke((*second)->second);
  REQUIRE(revoked);
  CHECK(*revoked);
  auto after = b.rotate((*second)->second);
  REQUIRE(after);
  CHECK_FALSE(*after);
  auto unknown = a.rotate("never-issued");
  REQUIRE(unknown);
  CHECK_FALSE(*unknown);
}

} // namespace

TEST_CASE("refresh sessions in redis: shared by two nodes, rotated once, "
          "revoked") {
  gateway::refresh_sessions node_a{60s, stack_redis()};
  gateway::refresh_sessions node_b{60s, stack_redis()};
  rotate_once_and_revoke(node_a, node_b);
}

TEST_CASE("refresh sessions in redis: they expire, and Redis holds no "
          "token") {
  auto redis = stack_redis();
  gateway::refresh_sessions sessions{1s, redis};
  auto token = sessions.open("u-expiring");
  REQUIRE(token);
  auto keys = redis->command({"EXISTS", "moim:refresh:" + *token});
  REQUIRE(keys);
  CHECK(*keys == std::optional<std::string>{"0"}); // stored under a hash
  std::this_thread::sleep_for(1500ms);
  auto late = sessions.rotate(*token);
  REQUIRE(late);
  CHECK_FALSE(*late);
}

TEST_CASE("refresh sessions in memory: rotated once, revoked, expire") {
  gateway::refresh_sessions sessions{1s};
  rotate_once_and_revoke(sessions, sessions);
  auto token = sessions.open("u-expiring");
  REQUIRE(token);
  std::this_thread::sleep_for(1500ms);
  auto late = sessions.rotate(*token);
  REQUIRE(late);
  CHECK_FALSE(*late);
}

TEST_CASE("refresh sessions: an unreachable redis is an error, not a "
          "missing token") {
  gateway::refresh_sessions sessions{
    60s, std::make_shared<infra::redis_client>("redis://127.0.0.1:1", 500ms)};
  auto opened = sessions.open("u");
  REQUIRE_FALSE(opened);
  CHECK_THAT(opened.err().message, Catch::Contains("127.0.0.1:1"));
  CHECK_FALSE(sessions.rotate("x"));
}
