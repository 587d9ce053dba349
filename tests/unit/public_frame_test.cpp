// The frames written field by field are, byte for byte, what dumping the
// JSON object would give, whatever the text holds.

#include "events/codec.hpp"
#include "events/json_text.hpp"
#include "events/public_frame.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace moim::events;
using nlohmann::json;

namespace {

std::string dumped(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

const std::string awkward_texts[] = {
  "plain words",
  "quote \" and backslash \\",
  "tab\tnewline\ncontrol\x01",
  "\xec\x95\x88\xeb\x85\x95 UTF-8",
  "invalid \xff\xfe bytes",
  "",
  "slash / and del \x7f",
};

event_meta meta(aggregate_id aggregate, aggregate_seq seq) {
  event_meta m;
  m.aggregate = std::move(aggregate);
  m.seq = seq;
  return m;
}

} // namespace

TEST_CASE("json text: a string literal is the one nlohmann writes") {
  for (const auto& s : awkward_texts) {
    std::string out;
    append_json_string(out, s);
    CHECK(out == dumped(json(s)));
  }
}

TEST_CASE("public frame: a room event's frame is the dumped object, secrets "
          "left out") {
  for (const auto& s : awkward_texts) {
    auto e = encode(room_message_posted{room_id{"r-" + s}, message_seq{3},
                                        user_id{"u1"}, s, s},
                    meta(aggregate_id{"r-" + s}, aggregate_seq{9}));
    json tree{{"type", "event"},
              {"room", e.aggregate.value()},
              {"seq", e.seq.value()},
              {"event", e.type},
              {"payload", e.payload}};
    CHECK(room_event_frame(e) == dumped(tree));
  }
  auto e = encode(
    room_message_posted{room_id{"r"}, message_seq{1}, user_id{"u1"}, "hi", ""},
    meta(aggregate_id{"r"}, aggregate_seq{2}));
  e.payload["password_hash"] = "$argon2id$secret";
  auto frame = room_event_frame(e);
  CHECK(frame.find("password_hash") == std::string::npos);
  CHECK(json::parse(frame)["payload"]["text"] == "hi");
}
