#pragma once

#include "events/aggregate_kind.hpp"
#include "events/ids.hpp"
#include "events/json_support.hpp"

#include <string>

namespace moim::events {

// Events of the user aggregate (topic moim.users). Each struct names its
// type and current schema version; older versions are upcast on read
// (upcasters.cpp).

struct user_registered {
  static constexpr const char* type = "user.registered";
  static constexpr int version = 2;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  std::string username;
  std::string display_name;
  std::string image_url;     ///< empty: none
  std::string password_hash; ///< argon2id, computed by the gateway
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_registered, user, username,
                                   display_name, image_url, password_hash)

struct user_profile_changed {
  static constexpr const char* type = "user.profile_changed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  std::string display_name;
  std::string image_url;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_profile_changed, user, display_name,
                                   image_url)

struct user_deactivated {
  static constexpr const char* type = "user.deactivated";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_deactivated, user, reason)

struct user_friend_added {
  static constexpr const char* type = "user.friend_added";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  user_id friend_user;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_friend_added, user, friend_user)

struct user_friend_removed {
  static constexpr const char* type = "user.friend_removed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  user_id friend_user;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_friend_removed, user, friend_user)

/// The user has seen its notifications up to and including `up_to` (ids
/// grow with time).
struct user_notifications_read {
  static constexpr const char* type = "user.notifications_read";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  std::string up_to;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_notifications_read, user, up_to)

/// The user searched for `text` (trimmed, lower case; 1..100 bytes): an
/// analytics event the Redis read model counts into trending terms and
/// keeps as the user's recent searches.
struct user_searched {
  static constexpr const char* type = "user.searched";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::user;
  user_id user;
  std::string text;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_searched, user, text)

} // namespace moim::events
