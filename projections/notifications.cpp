#include "projections/notifications.hpp"

#include <cctype>
#include <set>

namespace moim::projections {

namespace {

using nlohmann::json;

notification make(const events::event_envelope& e, const std::string& user,
                  const char* kind, json fields) {
  fields["type"] = "notification";
  fields["id"] = e.id.value();
  fields["kind"] = kind;
  fields["at"] = e.occurred_at.time_since_epoch().count();
  return {user, e.id.value(), kind,
          fields.dump(-1, ' ', false, json::error_handler_t::replace)};
}

std::string text_of(const json& payload, const char* key) {
  auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : "";
}

/// A message notifies at most this many mentioned users.
constexpr std::size_t max_mentions = 20;

/// The usernames after '@' in `text` (letters, digits, '_', '.', '-'), the
/// first max_mentions of them.
std::set<std::string> mentions(const std::string& text) {
  std::set<std::string> names;
  for (std::size_t at = text.find('@'); at != std::string::npos;
       at = text.find('@', at + 1)) {
    std::size_t end = at + 1;
    while (end < text.size()
           && (std::isalnum(static_cast<unsigned char>(text[end])) != 0
               || text[end] == '_' || text[end] == '.' || text[end] == '-'))
      ++end;
    if (end > at + 1)
      names.insert(text.substr(at + 1, end - at - 1));
    if (names.size() >= max_mentions)
      break;
  }
  return names;
}

} // namespace

std::vector<notification> notifications_of(const events::event_envelope& e) {
  const auto& p = e.payload;
  std::vector<notification> out;
  if (e.type == "user.friend_added") {
    out.push_back(make(e, text_of(p, "friend_user"), "friend_added",
                       {{"user", text_of(p, "user")}}));
  } else if (e.type == "room.member_kicked" || e.type == "room.member_banned") {
    out.push_back(make(e, text_of(p, "member"),
                       e.type == "room.member_kicked" ? "kicked" : "banned",
                       {{"room", text_of(p, "room")},
                        {"by", text_of(p, "by")},
                        {"reason", text_of(p, "reason")}}));
  } else if (e.type == "room.message_posted") {
    auto author = text_of(p, "author");
    for (const auto& name : mentions(text_of(p, "text"))) {
      auto user = events::user_id_for_username(name).value();
      if (user != author)
        out.push_back(make(e, user, "mention",
                           {{"room", text_of(p, "room")},
                            {"message", p.value("message", json{})},
                            {"author", author}}));
    }
  } else if (e.type == "schedule.promoted") {
    out.push_back(make(e, text_of(p, "member"), "seat_granted",
                       {{"schedule", text_of(p, "schedule")}}));
  }
  return out;
}

} // namespace moim::projections
