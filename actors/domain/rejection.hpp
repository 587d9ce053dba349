#pragma once

#include <string>

namespace moim::actors {

/// Why a command was refused. Domain rejections are ordinary results.
enum class rejection_code {
  /// The aggregate does not exist (yet).
  not_found,
  /// It exists already (create twice, username taken).
  already_exists,
  /// The username is taken by another user.
  name_taken,
  /// The actor of the command is not a member of the room.
  not_member,
  /// Already a member (join twice).
  already_member,
  /// The room is at its member limit.
  full,
  /// The user is banned from the room.
  banned,
  /// Only the owner (or the author) may do this.
  not_owner,
  /// The room, schedule or user is closed or deactivated.
  closed,
  /// A field is empty, too long or out of range.
  invalid,
  /// Already holding a seat or on the waitlist.
  already_seated,
  /// Not holding a seat nor on the waitlist.
  not_seated,
  /// Already friends, or not friends.
  friendship,
  /// The message is older than the room's edit window.
  too_old,
  /// This node does not own the aggregate's partition; retry elsewhere.
  not_owner_node,
  /// The log did not take the events; nothing happened; retry.
  unavailable,
};

[[nodiscard]] const char* to_string(rejection_code code);

struct rejection {
  rejection_code code;
  std::string reason; ///< readable, for the client

  /// Whether sending the same command again may succeed.
  [[nodiscard]] bool retryable() const noexcept {
    return code == rejection_code::not_owner_node
           || code == rejection_code::unavailable;
  }
};

} // namespace moim::actors
