#pragma once

#include "events/envelope.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace moim::projections {

/// A notification for one user: `id` (the id of the event behind it, a
/// UUIDv7, so ids grow with time) and its frame,
/// {"type":"notification","id","kind",...}.
struct notification {
  std::string user;
  std::string id;
  std::string kind; ///< "friend_added", "kicked", "banned", "mention", ...
  std::string frame;
};

/// The notifications an event makes:
///   user.friend_added    -> the friend: kind "friend_added" {user}
///   room.member_kicked   -> the member: kind "kicked" {room, by, reason}
///   room.member_banned   -> the member: kind "banned" {room, by, reason}
///   room.message_posted  -> each "@username" in the text but the author
///                           (the first 20): kind "mention" {room, message,
///                           author}
///   schedule.promoted    -> the member: kind "seat_granted" {schedule}
/// Other events make none.
[[nodiscard]] std::vector<notification>
notifications_of(const events::event_envelope& e);

} // namespace moim::projections
