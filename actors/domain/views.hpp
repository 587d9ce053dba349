#pragma once

#include "events/ids.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace moim::actors {

// What the write side answers about one aggregate: typed views of its
// state, each made by a pure function of the state. A password hash has
// no place in any view but stored_credentials, which has no JSON form.

/// Whether a user is a member of a room.
struct membership {
  bool member = false;
  bool banned = false;
  bool room_exists = false;
  bool room_closed = false;
  events::aggregate_seq seq; ///< the room's sequence number now
};

/// A room as clients see it.
struct room_view {
  events::room_id id;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string owner;
  std::uint32_t member_limit = 0;
  bool is_public = true;
  bool direct = false;
  bool closed = false;
  std::vector<std::string> members;
  std::uint64_t last_message = 0; ///< the newest message's number
  events::aggregate_seq seq;
};

/// A schedule with its seats and waitlist.
struct schedule_view {
  events::schedule_id id;
  std::string room;
  std::string creator;
  std::string title;
  std::string starts_at;
  std::string place;
  std::uint32_t capacity = 0;
  bool closed = false;
  std::vector<std::string> seated;
  std::vector<std::string> waitlist;
  events::aggregate_seq seq;
};

/// A user's public profile.
struct user_profile {
  events::user_id id;
  std::string username;
  std::string display_name;
  std::string image_url;
  bool deactivated = false;
  std::vector<std::string> friends;
  events::aggregate_seq seq;
};

/// An argon2id hash; it converts to nothing, so it cannot end up in JSON.
class password_hash {
public:
  password_hash() = default;
  explicit password_hash(std::string text) : text_(std::move(text)) {
    // nop
  }
  /// For the verifier only.
  [[nodiscard]] const std::string& reveal() const noexcept {
    return text_;
  }

private:
  std::string text_;
};

/// What logging in checks: only the gateway's login asks for it.
struct stored_credentials {
  events::user_id id;
  password_hash hash;
  bool deactivated = false;
};

void to_json(nlohmann::json& j, const room_view& v);
void to_json(nlohmann::json& j, const schedule_view& v);
void to_json(nlohmann::json& j, const user_profile& v);

} // namespace moim::actors
