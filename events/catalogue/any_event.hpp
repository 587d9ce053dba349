#pragma once

#include "events/catalogue/room_events.hpp"
#include "events/catalogue/saga_events.hpp"
#include "events/catalogue/schedule_events.hpp"
#include "events/catalogue/user_events.hpp"

#include <variant>

namespace moim::events {

/// Every event type of the current catalogue, in its current version.
using any_event = std::variant<
  // user
  user_registered, user_profile_changed, user_deactivated, user_friend_added,
  user_friend_removed, user_notifications_read, user_searched,
  // room
  room_created, room_updated, room_member_joined, room_member_left,
  room_member_kicked, room_member_banned, room_message_posted,
  room_message_edited, room_message_deleted, room_closed,
  // schedule
  schedule_created, schedule_seat_taken, schedule_waitlisted, schedule_promoted,
  schedule_seat_released, schedule_closed,
  // saga
  saga_started, saga_step_dispatched, saga_step_succeeded, saga_step_failed,
  saga_compensation_started, saga_compensation_succeeded,
  saga_compensation_failed, saga_completed, saga_aborted, saga_compensated,
  saga_failed>;

/// The type name of the event held, e.g. "room.created".
[[nodiscard]] const char* type_of(const any_event& event);

/// The aggregate kind the event belongs to.
[[nodiscard]] aggregate_kind kind_of(const any_event& event);

} // namespace moim::events
