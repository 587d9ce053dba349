#pragma once

#include "events/aggregate_kind.hpp"
#include "events/ids.hpp"
#include "events/json_support.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace moim::events {

// Events of the room aggregate (topic moim.rooms).

struct room_created {
  static constexpr const char* type = "room.created";
  static constexpr int version = 2;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  user_id owner;
  std::uint32_t member_limit = 0;
  bool is_public = true;
  bool direct = false; ///< a direct room between two friends
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_created, room, name, description, tags,
                                   owner, member_limit, is_public, direct)

struct room_updated {
  static constexpr const char* type = "room.updated";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::uint32_t member_limit = 0;
  bool is_public = true;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_updated, room, name, description, tags,
                                   member_limit, is_public)

struct room_member_joined {
  static constexpr const char* type = "room.member_joined";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  user_id member;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_member_joined, room, member)

struct room_member_left {
  static constexpr const char* type = "room.member_left";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  user_id member;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_member_left, room, member)

struct room_member_kicked {
  static constexpr const char* type = "room.member_kicked";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  user_id member;
  user_id by;
  std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_member_kicked, room, member, by, reason)

struct room_member_banned {
  static constexpr const char* type = "room.member_banned";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  user_id member;
  user_id by;
  std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_member_banned, room, member, by, reason)

struct room_message_posted {
  static constexpr const char* type = "room.message_posted";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  message_seq message;
  user_id author;
  std::string text; ///< at most 4 KB
  std::string client_message_id;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_message_posted, room, message, author,
                                   text, client_message_id)

struct room_message_edited {
  static constexpr const char* type = "room.message_edited";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  message_seq message;
  user_id author;
  std::string text;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_message_edited, room, message, author,
                                   text)

struct room_message_deleted {
  static constexpr const char* type = "room.message_deleted";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  message_seq message;
  user_id by;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_message_deleted, room, message, by)

struct room_closed {
  static constexpr const char* type = "room.closed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::room;
  room_id room;
  user_id by;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_closed, room, by)

} // namespace moim::events
