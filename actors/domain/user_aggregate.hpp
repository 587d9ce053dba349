#pragma once

#include "actors/domain/commands.hpp"
#include "actors/domain/decision.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace moim::actors {

/// A user. The aggregate id is derived from the username
/// (user_id_for_username), which makes usernames unique: registering an
/// existing id is "name taken".
struct user_state {
  bool exists = false;
  bool deactivated = false;
  std::string username;
  std::string display_name;
  std::string image_url;
  std::string password_hash;
  std::set<std::string> friends;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user_state, exists, deactivated, username,
                                   display_name, image_url, password_hash,
                                   friends)

struct user_aggregate {
  using state_type = user_state;
  using command_type = user_command;
  static constexpr events::aggregate_kind kind = events::aggregate_kind::user;

  [[nodiscard]] static decision decide(const user_state& state,
                                       const std::string& id,
                                       const user_command& command);

  static void apply(user_state& state, const events::any_event& event);
};

using events::user_id_for_username;

} // namespace moim::actors
