#include "events/codec.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace moim::events;

namespace {

event_envelope sample() {
  return encode(room_message_posted{room_id{"r1"}, message_seq{3},
                                    user_id{"u1"}, "hi", "c-1"},
                {aggregate_id{"r1"}, aggregate_seq{9}, correlation_id{"s1"},
                 causation_id{}, idempotency_key{"k1"}});
}

} // namespace

TEST_CASE("envelope: headers carry the metadata, the payload the event") {
  auto e = sample();
  auto headers = to_headers(e);
  auto back = from_headers(headers, "r1", e.payload.dump());
  REQUIRE(back);
  CHECK(back->id == e.id);
  CHECK(back->type == "room.message_posted");
  CHECK(back->seq == aggregate_seq{9});
  CHECK(back->correlation == correlation_id{"s1"});
  CHECK(back->causation.value().empty());
  CHECK(back->idempotency == idempotency_key{"k1"});
  CHECK(back->occurred_at == e.occurred_at);
  auto decoded = decode(*back);
  REQUIRE(decoded);
  auto& posted = std::get<room_message_posted>(decoded->front().event);
  CHECK(posted.text == "hi");
  CHECK(posted.message == message_seq{3});
}

TEST_CASE("envelope: bad records are typed errors naming the problem") {
  auto e = sample();
  auto headers = to_headers(e);
  SECTION("missing header") {
    headers.erase(headers.begin() + 3); // moim-type
    auto r = from_headers(headers, "r1", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.err().code == decode_errc::missing_header);
    CHECK_THAT(r.err().message, Catch::Contains("moim-type"));
  }
  SECTION("malformed json") {
    auto r = from_headers(headers, "r1", "{\"room\":");
    REQUIRE_FALSE(r);
    CHECK(r.err().code == decode_errc::malformed_json);
  }
  SECTION("bad header value") {
    headers[2].second = "nine";
    auto r = from_headers(headers, "r1", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.err().code == decode_errc::bad_header);
    CHECK_THAT(r.err().message, Catch::Contains("moim-seq"));
  }
  SECTION("unknown type") {
    e.type = "room.exploded";
    auto r = decode(e);
    REQUIRE_FALSE(r);
    CHECK(r.err().code == decode_errc::unknown_type);
    CHECK_THAT(r.err().message, Catch::Contains("room.exploded"));
  }
  SECTION("unknown version") {
    e.version = 7;
    auto r = decode(e);
    REQUIRE_FALSE(r);
    CHECK(r.err().code == decode_errc::unknown_version);
    CHECK_THAT(r.err().message, Catch::Contains("current is 1"));
  }
  SECTION("payload of the wrong shape") {
    e.payload = {{"room", 5}};
    auto r = decode(e);
    REQUIRE_FALSE(r);
    CHECK(r.err().code == decode_errc::bad_payload);
  }
}

TEST_CASE("event ids are UUIDv7 text, unique and increasing") {
  std::set<std::string> seen;
  std::string last;
  for (int i = 0; i < 20000; ++i) {
    auto id = new_event_id().value();
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '7');
    CHECK(id > last);
    last = id;
    seen.insert(id);
  }
  CHECK(seen.size() == 20000);
}
