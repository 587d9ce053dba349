#include "events/upcasting/upcasters.hpp"

#include "events/catalogue/catalogue.hpp"

#include <deque>

namespace moim::events {

namespace {

// ---- the schema history ---------------------------------------------------

// user.registered v1 (the seed system's shape) had one "nickname"; v2 has a
// unique username, a display name and an optional image.
std::vector<event_envelope> user_registered_v1(const event_envelope& old) {
  auto e = old;
  auto nickname = old.payload.value("nickname", std::string{});
  e.version = 2;
  e.payload = {{"user", old.payload.value("user", std::string{})},
               {"username", nickname},
               {"display_name", nickname},
               {"image_url", ""},
               {"password_hash", old.payload.value("password_hash", "")}};
  return {e};
}

// room.created v1 made the owner a member implicitly; v2 states the owner's
// membership as a room.member_joined of its own. One event becomes two,
// sharing the stored record's sequence number.
std::vector<event_envelope> room_created_v1(const event_envelope& old) {
  auto created = old;
  created.version = 2;
  bool owner_is_member = old.payload.value("owner_is_member", true);
  created.payload.erase("owner_is_member");
  created.payload["direct"] = old.payload.value("direct", false);
  auto joined = old;
  joined.type = "room.member_joined";
  joined.version = 1;
  joined.id = event_id{old.id.value() + ":owner-joined"};
  joined.payload = {{"room", old.payload.value("room", std::string{})},
                    {"member", old.payload.value("owner", std::string{})}};
  if (!owner_is_member)
    return {created};
  return {created, joined};
}

// room.typing_indicated v1: typing indicators were persisted once; they are
// ephemeral now, so a stored one becomes nothing.
std::vector<event_envelope> room_typing_indicated_v1(const event_envelope&) {
  return {};
}

// schedule.created v1 called the seat count "max_participants".
std::vector<event_envelope> schedule_created_v1(const event_envelope& old) {
  auto e = old;
  e.version = 2;
  e.payload["capacity"] = old.payload.value("max_participants", 0);
  e.payload.erase("max_participants");
  return {e};
}

// saga.started v1 had no definition version (all were version 1) and no
// business key.
std::vector<event_envelope> saga_started_v1(const event_envelope& old) {
  auto e = old;
  e.version = 2;
  e.payload["definition_version"] = 1;
  e.payload["key"] = "";
  return {e};
}

} // namespace

const std::vector<upcaster_entry>& upcasters() {
  static const std::vector<upcaster_entry> all{
    {"user.registered", 1, user_registered_v1},
    {"room.created", 1, room_created_v1},
    {"room.typing_indicated", 1, room_typing_indicated_v1},
    {"schedule.created", 1, schedule_created_v1},
    {"saga.started", 1, saga_started_v1},
  };
  return all;
}

expected<std::vector<event_envelope>, decode_error>
upcast(event_envelope stored) {
  std::vector<event_envelope> done;
  std::deque<event_envelope> pending{std::move(stored)};
  const auto& current = current_versions();
  // Each step raises a version or retires a type, so a few dozen steps is
  // more than any history needs; the bound only stops a faulty upcaster.
  for (int steps = 0; !pending.empty(); ++steps) {
    if (steps > 64)
      return decode_error{
        decode_errc::unknown_version, "upcasting did not converge", {}};
    auto e = std::move(pending.front());
    pending.pop_front();
    auto cur = current.find(e.type);
    if (cur != current.end() && cur->second == e.version) {
      done.push_back(std::move(e));
      continue;
    }
    const upcaster_entry* match = nullptr;
    for (const auto& entry : upcasters())
      if (entry.type == e.type && entry.from_version == e.version)
        match = &entry;
    if (match == nullptr) {
      bool known_type = cur != current.end();
      for (const auto& entry : upcasters())
        known_type = known_type || entry.type == e.type;
      if (!known_type)
        return decode_error{
          decode_errc::unknown_type, "no event type '" + e.type + "'", {}};
      return decode_error{decode_errc::unknown_version,
                          "'" + e.type + "' has no version "
                            + std::to_string(e.version)
                            + (cur != current.end()
                                 ? "; current is " + std::to_string(cur->second)
                                 : std::string{}),
                          {}};
    }
    auto next = match->step(e);
    pending.insert(pending.begin(), next.begin(), next.end());
  }
  return done;
}

} // namespace moim::events
