// Room presence in Redis, as two nodes' gateways write it: a user is
// online while any node has them subscribed, an entry a dead node left
// expires by itself, and a live one is refreshed before it would.

#include "infra/redis/redis_client.hpp"
#include "projections/redis/keys.hpp"
#include "projections/redis/presence.hpp"
#include "projections/redis/redis_read_model.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;

namespace {

using users = std::vector<std::string>;

/// Who `reads` has online in `room` once that is `want`, or after 5 s
/// what it has then.
users online_once(projections::redis_read_model& reads, const std::string& room,
                  const users& want) {
  users got;
  for (int i = 0; i < 100; ++i) {
    auto now = reads.online(room);
    REQUIRE(now);
    got = *now;
    if (got == want)
      break;
    std::this_thread::sleep_for(50ms);
  }
  return got;
}

} // namespace

TEST_CASE("presence: online while any node has the user, a dead node's "
          "entries expire, live ones are refreshed",
          "[presence]") {
  auto url = stack_env("MOIM_REDIS_URL");
  auto prefix = unique_name("presence") + ":";
  projections::redis_read_model reads{url, prefix, 2000ms};
  projections::presence_options options;
  options.ttl = 900ms;
  options.flush = 20ms;
  auto a = std::make_unique<projections::redis_presence>(url, prefix, options);
  projections::redis_presence b{url, prefix, options};
  a->start();
  b.start();

  a->online("r1", "ana");
  a->online("r1", "ana"); // a second connection of hers on node a
  b.online("r1", "ana");
  b.online("r1", "bo");
  a->online("r2", "cy");
  CHECK(online_once(reads, "r1", {"ana", "bo"}) == users{"ana", "bo"});
  CHECK(online_once(reads, "r2", {"cy"}) == users{"cy"});

  // Two ttl's later every entry is still there: refreshed.
  std::this_thread::sleep_for(1800ms);
  CHECK(*reads.online("r1") == users{"ana", "bo"});

  // Ana leaves node b; node a still has her (twice: one leaves).
  b.offline("r1", "ana");
  a->offline("r1", "ana");
  b.offline("r1", "bo");
  CHECK(online_once(reads, "r1", {"ana"}) == users{"ana"});
  a->offline("r1", "ana");
  CHECK(online_once(reads, "r1", {}).empty());

  // A node that stops removes its entries at once.
  a->online("r1", "dee");
  CHECK(online_once(reads, "r1", {"dee"}) == users{"dee"});
  a.reset();
  CHECK(online_once(reads, "r1", {}).empty());
  CHECK(online_once(reads, "r2", {}).empty());

  // A node that died leaves an entry that expired: not online.
  infra::redis_client redis{url, 2000ms};
  auto past = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count()
              - 1;
  REQUIRE(
    redis.command({"ZADD", projections::redis_keys::presence(prefix, "r3"),
                   std::to_string(past), "eve@dead-node"}));
  CHECK(reads.online("r3")->empty());
}
