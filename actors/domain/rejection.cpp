#include "actors/domain/rejection.hpp"

namespace moim::actors {

const char* to_string(rejection_code code) {
  switch (code) {
    case rejection_code::not_found: return "not_found";
    case rejection_code::already_exists: return "already_exists";
    case rejection_code::name_taken: return "name_taken";
    case rejection_code::not_member: return "not_member";
    case rejection_code::already_member: return "already_member";
    case rejection_code::full: return "full";
    case rejection_code::banned: return "banned";
    case rejection_code::not_owner: return "not_owner";
    case rejection_code::closed: return "closed";
    case rejection_code::invalid: return "invalid";
    case rejection_code::already_seated: return "already_seated";
    case rejection_code::not_seated: return "not_seated";
    case rejection_code::friendship: return "friendship";
    case rejection_code::too_old: return "too_old";
    case rejection_code::not_owner_node: return "not_owner_node";
    case rejection_code::unavailable: return "unavailable";
  }
  return "unknown";
}

} // namespace moim::actors
