#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace moim::actors {

/// Whether a room's state (as the state query returns it, possibly null)
/// lists `user` among its members. Shared by the REST and WebSocket gateways.
[[nodiscard]] inline bool has_member(const nlohmann::json& room_state,
                                     const std::string& user) {
  if (!room_state.is_object())
    return false;
  auto members = room_state.find("members");
  return members != room_state.end() && members->is_array()
         && std::find(members->begin(), members->end(), user) != members->end();
}

} // namespace moim::actors
