// Every readable (type, version) has a golden file in tests/golden/events,
// and every one is read back on every run: current versions round-trip
// through their typed struct byte for byte (as JSON), older versions
// upcast to exactly what their .upcast.json says.

#include "events/catalogue/catalogue.hpp"
#include "events/codec.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace moim::events;
using nlohmann::json;

namespace {

const std::filesystem::path golden_dir{MOIM_GOLDEN_DIR};

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in{path};
  REQUIRE(in);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::filesystem::path golden_of(const std::string& type, int version,
                                const std::string& suffix = ".json") {
  return golden_dir / (type + ".v" + std::to_string(version) + suffix);
}

} // namespace

TEST_CASE("golden: every readable event version has a golden file") {
  auto readable = readable_versions();
  CHECK(readable.size() >= 30 + 4);
  for (const auto& [type, version] : readable) {
    INFO(type << " v" << version);
    CHECK(std::filesystem::exists(golden_of(type, version)));
  }
}

TEST_CASE("golden: current versions round-trip through their typed structs") {
  for (const auto& [type, version] : current_versions()) {
    INFO(type << " v" << version);
    auto text = slurp(golden_of(type, version));
    auto stored = from_record_json(json::parse(text).dump());
    REQUIRE(stored);
    auto decoded = decode(*stored);
    INFO((decoded ? std::string{} : decoded.err().text()));
    REQUIRE(decoded);
    REQUIRE(decoded->size() == 1);
    const auto& d = decoded->front();
    CHECK(std::string{type_of(d.event)} == type);
    CHECK(kind_of(d.event) == stored->aggregate_type);
    // Re-encoding the typed event with the stored metadata gives the file.
    auto again
      = encode(d.event, {stored->aggregate, stored->seq, stored->correlation,
                         stored->causation, stored->idempotency, stored->id,
                         stored->occurred_at});
    CHECK(json::parse(to_record_json(again)) == json::parse(text));
  }
}

TEST_CASE("golden: older versions upcast to the recorded current events") {
  for (const auto& [type, version] : readable_versions()) {
    auto current = current_versions().find(type);
    if (current != current_versions().end() && current->second == version)
      continue;
    INFO(type << " v" << version);
    auto stored = from_record_json(slurp(golden_of(type, version)));
    REQUIRE(stored);
    auto decoded = decode(*stored);
    INFO((decoded ? std::string{} : decoded.err().text()));
    REQUIRE(decoded);
    auto expected
      = json::parse(slurp(golden_of(type, version, ".upcast.json")));
    json actual = json::array();
    for (const auto& d : *decoded)
      actual.push_back(json::parse(to_record_json(d.envelope)));
    CHECK(actual == expected);
  }
}

TEST_CASE("golden: one event into several and into none") {
  auto split = decode(*from_record_json(slurp(golden_of("room.created", 1))));
  REQUIRE(split);
  REQUIRE(split->size() == 2);
  CHECK(std::holds_alternative<room_created>(split->at(0).event));
  CHECK(std::holds_alternative<room_member_joined>(split->at(1).event));
  auto retired
    = decode(*from_record_json(slurp(golden_of("room.typing_indicated", 1))));
  REQUIRE(retired);
  CHECK(retired->empty());
}
