#pragma once

#include "events/aggregate_kind.hpp"
#include "events/ids.hpp"
#include "events/json_support.hpp"

#include <cstdint>
#include <string>

namespace moim::events {

// Events of the schedule aggregate (topic moim.schedules). A schedule
// belongs to a room and has a limited number of seats and a waitlist.

struct schedule_created {
  static constexpr const char* type = "schedule.created";
  static constexpr int version = 2;
  static constexpr aggregate_kind aggregate = aggregate_kind::schedule;
  schedule_id schedule;
  room_id room;
  user_id creator;
  std::string title;
  std::string starts_at; ///< ISO 8601, as the client gave it
  std::string place;
  std::uint32_t capacity = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_created, schedule, room, creator,
                                   title, starts_at, place, capacity)

struct schedule_seat_taken {
  static constexpr const char* type = "schedule.seat_taken";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::schedule;
  schedule_id schedule;
  user_id member;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_seat_taken, schedule, member)

struct schedule_waitlisted {
  static constexpr const char* type = "schedule.waitlisted";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::schedule;
  schedule_id schedule;
  user_id member;
  std::uint32_t place_in_line = 0; ///< 1 is next
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_waitlisted, schedule, member,
                                   place_in_line)

struct schedule_promoted {
  static constexpr const char* type = "schedule.promoted";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::schedule;
  schedule_id schedule;
  user_id member;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_promoted, schedule, member)

struct schedule_seat_released {
  static constexpr const char* type = "schedule.seat_released";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::schedule;
  schedule_id schedule;
  user_id member;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_seat_released, schedule, member)

struct schedule_closed {
  static constexpr const char* type = "schedule.closed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::schedule;
  schedule_id schedule;
  user_id by;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(schedule_closed, schedule, by)

} // namespace moim::events
