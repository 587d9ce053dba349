#include "infra/log/event_log.hpp"

#include <catch2/catch.hpp>

using moim::infra::murmur2_partition;

// Expected values computed with Kafka's Java client (3.9):
// Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % 12
TEST_CASE("partitioner: murmur2 agrees with Kafka's Java default partitioner") {
  CHECK(murmur2_partition("room-1", 12).value() == 3);
  CHECK(murmur2_partition("user-42", 12).value() == 4);
  CHECK(murmur2_partition("schedule-7", 12).value() == 0);
  CHECK(murmur2_partition("a", 12).value() == 4);
  CHECK(murmur2_partition("01J9ZK3Q5X", 12).value() == 11);
  CHECK(murmur2_partition("\xed\x95\x9c\xea\xb8\x80", 12).value() == 1); // 한글
}

TEST_CASE("partitioner: every partition is used and none outside the range") {
  std::vector<int> counts(8, 0);
  for (int i = 0; i < 8000; ++i) {
    auto p = murmur2_partition("room-" + std::to_string(i), 8).value();
    REQUIRE(p >= 0);
    REQUIRE(p < 8);
    ++counts[static_cast<std::size_t>(p)];
  }
  for (auto c : counts)
    CHECK(c > 700); // about 1000 each
}
