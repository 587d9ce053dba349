#include "events/named_type.hpp"

#include <catch2/catch.hpp>

#include <type_traits>
#include <unordered_set>

namespace {
using room_id = moim::events::named_type<std::string, struct room_id_tag>;
using user_id = moim::events::named_type<std::string, struct user_id_tag>;
} // namespace

TEST_CASE("named_type: same representation, different types") {
  STATIC_REQUIRE_FALSE(std::is_convertible_v<room_id, user_id>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<std::string, room_id>);
  room_id a{"r1"};
  room_id b{"r2"};
  CHECK(a < b);
  CHECK(a != b);
  CHECK(a == room_id{"r1"});
  std::unordered_set<room_id> rooms{a, b, room_id{"r1"}};
  CHECK(rooms.size() == 2);
}
