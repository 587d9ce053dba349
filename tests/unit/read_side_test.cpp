// Small pure parts of the read side and its queries: position tokens,
// query decoding, node roles.

#include "infra/http/message.hpp"
#include "projections/position.hpp"
#include "tools/moimd/roles.hpp"

#include <catch2/catch.hpp>

using namespace moim;

TEST_CASE("position: a token round-trips and malformed ones are refused") {
  projections::log_point p{{"moim.rooms", events::partition_id{3}},
                           events::log_offset{1207}};
  CHECK(projections::format_point(p) == "moim.rooms:3:1207");
  auto back = projections::parse_point("moim.rooms:3:1207");
  REQUIRE(back);
  CHECK(back->where == p.where);
  CHECK(back->offset == p.offset);
  for (const auto* bad :
       {"", "moim.rooms", "moim.rooms:3", ":3:4", "moim.rooms:x:1",
        "moim.rooms:1:", "moim.rooms:-1:5", "moim.rooms:1:2x",
        "moim.rooms:1:99999999999999999999"})
    CHECK_FALSE(projections::parse_point(bad));
}

TEST_CASE("url_decode: escapes and plus signs, malformed escapes kept") {
  CHECK(infra::url_decode("gathering%20hike") == "gathering hike");
  CHECK(infra::url_decode("a+b") == "a b");
  CHECK(infra::url_decode("%ED%95%9C") == "한");
  CHECK(infra::url_decode("100%") == "100%");
  CHECK(infra::url_decode("%zz%4") == "%zz%4");
}

TEST_CASE("roles: any set of known roles, but a gateway needs the write "
          "side beside it") {
  auto all = moimd::parse_roles("gateway,write,projections");
  REQUIRE(all);
  CHECK(all->gateway);
  CHECK(all->write);
  CHECK(all->projections);
  auto reader = moimd::parse_roles(" projections ");
  REQUIRE(reader);
  CHECK_FALSE(reader->gateway);
  CHECK_FALSE(reader->write);
  CHECK(reader->projections);
  auto unknown = moimd::parse_roles("gateway,write,search");
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.err().message, Catch::Contains("'search'"));
  auto lonely = moimd::parse_roles("gateway");
  REQUIRE_FALSE(lonely);
  CHECK_THAT(lonely.err().message, Catch::Contains("add write"));
  CHECK_FALSE(moimd::parse_roles(""));
}
