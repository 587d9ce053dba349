// Saga definitions: what makes one invalid, versions in the catalogue,
// and the retry policy's backoff with jitter.

#include "sagas/definition.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace moim;
using namespace moim::sagas;
using namespace std::chrono_literals;

namespace {

actors::command_envelope any_command(const saga_context&) {
  return {};
}

step_definition step(const char* name, bool undo = false, bool pivot = false) {
  step_definition s;
  s.name = name;
  s.action = command_fn{any_command};
  if (undo)
    s.compensation = any_command;
  s.pivot = pivot;
  return s;
}

saga_definition def(const char* type, int version,
                    std::vector<step_definition> steps) {
  saga_definition d;
  d.type = type;
  d.version = version;
  d.steps = std::move(steps);
  return d;
}

} // namespace

TEST_CASE("sagas: a definition is refused when it cannot run, naming why") {
  auto d = def("create_room", 1, {step("a", true), step("b")});
  CHECK_FALSE(invalid(d));
  auto twice = d;
  twice.steps.push_back(step("a"));
  CHECK(invalid(twice).value_or("").find("unique") != std::string::npos);
  auto after_pivot = d;
  after_pivot.steps
    = {step("a", true), step("p", false, true), step("c", true)};
  CHECK(invalid(after_pivot).value_or("").find("pivot") != std::string::npos);
  auto undo_pivot = d;
  undo_pivot.steps = {step("a", true), step("p", true, true)};
  CHECK(invalid(undo_pivot));
  auto waits = d;
  step_definition wait;
  wait.name = "visible";
  wait.action = wait_for_projections{{"postgres"}, "later"};
  waits.steps = {wait, step("later")};
  CHECK(invalid(waits).value_or("").find("earlier") != std::string::npos);
  waits.steps = {step("first"), wait};
  std::get<wait_for_projections>(waits.steps[1].action).position_of = "first";
  CHECK_FALSE(invalid(waits));
  CHECK(invalid(def("", 1, {step("a")})));
  CHECK(invalid(def("x", 1, {})));
}

TEST_CASE("sagas: the catalogue keeps every version and new sagas get "
          "the latest") {
  saga_catalogue catalogue;
  CHECK_FALSE(catalogue.add(def("join_room", 1, {step("a")})));
  CHECK_FALSE(catalogue.add(def("join_room", 2, {step("a"), step("b")})));
  CHECK_FALSE(catalogue.add(def("join_roomx", 7, {step("a")})));
  CHECK(catalogue.add(def("join_room", 2, {step("a")}))); // taken
  REQUIRE(catalogue.latest("join_room"));
  CHECK(catalogue.latest("join_room")->version == 2);
  REQUIRE(catalogue.find("join_room", 1));
  CHECK(catalogue.find("join_room", 1)->steps.size() == 1);
  CHECK(catalogue.latest("join") == nullptr);
  CHECK(catalogue.latest("join_roomx")->version == 7);
}

TEST_CASE("sagas: backoff grows to its cap, with jitter between half and "
          "all of it, the same for the same seed") {
  retry_policy p;
  p.initial = 100ms;
  p.cap = 1000ms;
  std::set<std::int64_t> drawn;
  for (std::uint32_t attempt = 1; attempt <= 8; ++attempt) {
    auto full = std::min<std::int64_t>(1000, 100LL << (attempt - 1));
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
      auto wait
        = p.backoff(attempt, jitter_seed("saga-1", 2, attempt, false) + seed)
            .count();
      CHECK(wait >= full / 2);
      CHECK(wait <= full);
      drawn.insert(wait);
    }
  }
  CHECK(drawn.size() > 20); // jittered, not a fixed ladder
  auto seed = jitter_seed("saga-1", 2, 3, false);
  CHECK(p.backoff(3, seed) == p.backoff(3, seed));
  CHECK(jitter_seed("saga-1", 2, 3, false)
        != jitter_seed("saga-1", 2, 3, true));
  CHECK(jitter_seed("saga-1", 2, 3, false)
        != jitter_seed("saga-2", 2, 3, false));
}
