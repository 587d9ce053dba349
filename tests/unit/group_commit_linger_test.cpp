// How long a group commit waits for company: the least wait under a light
// load, growing with the last group's size, never past the most.

#include "infra/log/event_log_config.hpp"
#include "infra/log/group_commit.hpp"

#include <catch2/catch.hpp>

using namespace moim::infra;
using namespace std::chrono_literals;

TEST_CASE("group commit: the wait grows with the last group, within bounds") {
  group_commit_options o{1000, 5000us, 65us, 25000us, nullptr};
  CHECK(o.linger_after(0) == 5000us);    // idle: the least wait
  CHECK(o.linger_after(50) == 5000us);   // 3.25 ms of growth: still the least
  CHECK(o.linger_after(200) == 13000us); // 200 x 65 us
  CHECK(o.linger_after(384) == 24960us);
  CHECK(o.linger_after(1000) == 25000us); // capped
}

TEST_CASE("group commit: without growth the wait stays fixed") {
  group_commit_options fixed{1000, 5000us, 65us, 0us, nullptr};
  CHECK(fixed.linger_after(1000) == 5000us);
  group_commit_options none{1000, 0us, 0us, 0us, nullptr};
  CHECK(none.linger_after(1000) == 0us);
}

TEST_CASE("group commit: the event log's defaults grow to 25 ms") {
  event_log_config c;
  CHECK(c.commit.linger_after(0) == 5000us);
  CHECK(c.commit.linger_after(10000) == 25000us);
}
