#pragma once

#include "events/catalogue/any_event.hpp"
#include "events/ids.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace moim::actors {

// Commands, one struct each, grouped by the aggregate that decides them.
// The aggregate id travels beside the command (see command_envelope).

// ---- user ------------------------------------------------------------------

struct register_user {
  std::string username;
  std::string display_name;
  std::string image_url;
  std::string password_hash; ///< argon2id, computed by the gateway
};
struct change_profile {
  std::string display_name;
  std::string image_url;
};
struct deactivate_user {
  std::string reason;
};
struct add_friend {
  events::user_id friend_user;
};
struct remove_friend {
  events::user_id friend_user;
};
/// Marks the user's notifications read, up to and including `up_to` (a
/// notification id; ids grow with time).
struct mark_notifications_read {
  std::string up_to;
};
/// Records what the user searched for (trending terms, recent searches).
struct record_search {
  std::string text;
};
using user_command
  = std::variant<register_user, change_profile, deactivate_user, add_friend,
                 remove_friend, mark_notifications_read, record_search>;

// ---- room ------------------------------------------------------------------

struct create_room {
  events::user_id owner;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::uint32_t member_limit = 100;
  bool is_public = true;
};
/// A direct room between two friends (friendship is checked by the caller,
/// which holds both users' state).
struct create_direct_room {
  events::user_id first;
  events::user_id second;
};
struct update_room {
  events::user_id by;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::uint32_t member_limit = 100;
  bool is_public = true;
};
struct join_room {
  events::user_id member;
};
struct leave_room {
  events::user_id member;
};
struct kick_member {
  events::user_id by;
  events::user_id member;
  std::string reason;
};
struct ban_member {
  events::user_id by;
  events::user_id member;
  std::string reason;
};
struct post_message {
  events::user_id author;
  std::string text;
  std::string client_message_id;
};
struct edit_message {
  events::user_id author;
  events::message_seq message;
  std::string text;
};
struct delete_message {
  events::user_id by;
  events::message_seq message;
};
struct close_room {
  events::user_id by;
};
using room_command
  = std::variant<create_room, create_direct_room, update_room, join_room,
                 leave_room, kick_member, ban_member, post_message,
                 edit_message, delete_message, close_room>;

// ---- schedule --------------------------------------------------------------

/// Membership of the room is checked by the caller against the room.
struct create_schedule {
  events::room_id room;
  events::user_id creator;
  std::string title;
  std::string starts_at;
  std::string place;
  std::uint32_t capacity = 0;
};
struct take_seat {
  events::user_id member;
};
struct release_seat {
  events::user_id member;
};
struct close_schedule {
  events::user_id by;
};
using schedule_command
  = std::variant<create_schedule, take_seat, release_seat, close_schedule>;

/// Texts of at most this many bytes may be posted.
constexpr std::size_t max_message_bytes = 4096;

// ---- saga ------------------------------------------------------------------

/// Appends events of the saga's own progress (the saga coordinator decides
/// them; the saga's stream only checks they fit: saga.started first and
/// once, nothing after the end).
struct record_saga_events {
  std::vector<events::any_event> events;
};
using saga_command = std::variant<record_saga_events>;

} // namespace moim::actors
