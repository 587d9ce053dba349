#pragma once

#include "actors/domain/commands.hpp"
#include "actors/domain/decision.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>

namespace moim::actors {

/// Everything a room decides on. Serializable, for the state store.
struct room_state {
  bool exists = false;
  bool closed = false;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string owner;
  std::uint32_t member_limit = 0;
  bool is_public = true;
  bool direct = false;
  std::set<std::string> members;
  std::set<std::string> banned;
  std::uint64_t last_message = 0;
  /// Authors of the live messages among the last `edit_window` (what edit
  /// and delete decide on), so the state stays bounded whatever the
  /// room's age.
  std::map<std::uint64_t, std::string> authors;
};

/// Messages that can still be edited, or deleted by their authors: the
/// room's last 1,000. The owner may delete any message.
inline constexpr std::uint64_t edit_window = 1000;
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(room_state, exists, closed, name,
                                   description, tags, owner, member_limit,
                                   is_public, direct, members, banned,
                                   last_message, authors)

/// The rules of a room: decide never changes state; apply does, and only
/// with events decide produced (or that the log holds).
struct room_aggregate {
  using state_type = room_state;
  using command_type = room_command;
  static constexpr events::aggregate_kind kind = events::aggregate_kind::room;

  [[nodiscard]] static decision decide(const room_state& state,
                                       const std::string& id,
                                       const room_command& command);

  static void apply(room_state& state, const events::any_event& event);
};

} // namespace moim::actors
