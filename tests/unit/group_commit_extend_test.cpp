// Later events joining an append while no commit has taken it: they are
// committed with it, as one item, answered by its callback; once a commit
// has taken it, or past the group bound, nothing joins.

#include "infra/log/group_commit.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace moim::infra;
using moim::events::event_envelope;
using moim::events::log_offset;
using moim::events::log_position;
using moim::events::partition_id;

namespace {

std::vector<event_envelope> events_of(std::size_t n, const std::string& text) {
  std::vector<event_envelope> out(n);
  for (auto& e : out)
    e.type = text;
  return out;
}

/// The commit a test holds: every group's events in order, offsets from 0;
/// the first commit waits until released.
struct held_commit {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released{release.get_future().share()};
  std::mutex mtx;
  std::vector<std::vector<std::string>> items; ///< per item: its events
  std::int64_t next = 0;
  bool first = true;

  std::vector<append_result> operator()(const std::vector<commit_item>& g) {
    bool wait = false;
    {
      std::lock_guard<std::mutex> guard{mtx};
      wait = first;
      first = false;
    }
    if (wait) {
      entered.set_value();
      released.wait();
    }
    std::vector<log_position> positions;
    std::lock_guard<std::mutex> guard{mtx};
    for (const auto& item : g) {
      items.emplace_back();
      for (const auto& e : item.events) {
        items.back().push_back(e.type);
        positions.push_back({partition_id{0}, log_offset{next++}});
      }
    }
    return split_positions(g, std::move(positions));
  }
};

} // namespace

TEST_CASE("group commit: events join an append until a commit takes it") {
  held_commit held;
  group_commit_options options{10, std::chrono::microseconds{0},
                               std::chrono::microseconds{0},
                               std::chrono::microseconds{0}, nullptr};
  group_commit gc{options, [&held](const std::vector<commit_item>& g) {
                    return held(g);
                  }};
  auto target = std::make_shared<write_target>(
    topic_partition{"moim.rooms", partition_id{0}});

  std::promise<append_result> a_done;
  auto a = gc.append(target, events_of(1, "a"), target->epoch(),
                     [&a_done](append_result r) {
                       a_done.set_value(std::move(r));
                     });
  REQUIRE(a != nullptr);
  held.entered.get_future().wait(); // a's group is being committed

  auto late = events_of(1, "too late");
  CHECK_FALSE(gc.extend(a, late)); // taken: nothing joins
  CHECK(late.size() == 1);         // and nothing was taken from the caller

  std::promise<append_result> b_done;
  auto b = gc.append(target, events_of(1, "b"), target->epoch(),
                     [&b_done](append_result r) {
                       b_done.set_value(std::move(r));
                     });
  auto joins = events_of(2, "b+");
  CHECK(gc.extend(b, joins)); // b waits behind a's commit: it joins
  CHECK(joins.empty());
  auto too_many = events_of(8, "past the bound");
  CHECK_FALSE(gc.extend(b, too_many)); // 3 + 8 > 10 events
  CHECK(too_many.size() == 8);

  group_commit other{options, [&held](const std::vector<commit_item>& g) {
                       return held(g);
                     }};
  auto foreign = events_of(1, "foreign");
  CHECK_FALSE(other.extend(b, foreign)); // not an append of `other`

  held.release.set_value();
  auto ra = a_done.get_future().get();
  auto rb = b_done.get_future().get();
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(ra->size() == 1);
  REQUIRE(rb->size() == 3); // b and the two that joined it, in order
  CHECK(rb->at(0).offset.value() + 1 == rb->at(1).offset.value());
  CHECK(rb->at(1).offset.value() + 1 == rb->at(2).offset.value());
  std::lock_guard<std::mutex> guard{held.mtx};
  REQUIRE(held.items.size() == 2); // one item each: b grew, it did not split
  CHECK(held.items[1] == std::vector<std::string>{"b", "b+", "b+"});
}
