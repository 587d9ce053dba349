#pragma once

#include "actors/domain/commands.hpp"
#include "actors/domain/decision.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace moim::actors {

/// A schedule's seats and waitlist, in arrival order.
struct schedule_state {
  bool exists = false;
  bool closed = false;
  std::string room;
  std::string creator;
  std::string title;
  std::string starts_at;
  std::string place;
  std::uint32_t capacity = 0;
  std::vector<std::string> seated;
  std::vector<std::string> waitlist; ///< first is next
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_state, exists, closed, room,
                                   creator, title, starts_at, place, capacity,
                                   seated, waitlist)

/// Never more seats taken than the capacity: the aggregate decides seat by
/// seat, one command after another.
struct schedule_aggregate {
  using state_type = schedule_state;
  using command_type = schedule_command;
  static constexpr events::aggregate_kind kind
    = events::aggregate_kind::schedule;

  [[nodiscard]] static decision decide(const schedule_state& state,
                                       const std::string& id,
                                       const schedule_command& command);

  static void apply(schedule_state& state, const events::any_event& event);
};

} // namespace moim::actors
