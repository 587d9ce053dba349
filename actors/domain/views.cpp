#include "actors/domain/view_of.hpp"

namespace moim::actors {

namespace {

rejection missing(const char* noun) {
  return rejection{rejection_code::not_found, std::string{"no such "} + noun};
}

} // namespace

membership membership_of(const room_state& st, const events::user_id& user,
                         events::aggregate_seq seq) {
  membership m;
  m.room_exists = st.exists;
  m.room_closed = st.closed;
  m.member = st.exists && st.members.count(user.value()) != 0;
  m.banned = st.banned.count(user.value()) != 0;
  m.seq = seq;
  return m;
}

events::expected<room_view, rejection> view_of(const room_state& st,
                                               const std::string& id,
                                               events::aggregate_seq seq) {
  if (!st.exists)
    return missing("room");
  return room_view{events::room_id{id},
                   st.name,
                   st.description,
                   st.tags,
                   st.owner,
                   st.member_limit,
                   st.is_public,
                   st.direct,
                   st.closed,
                   {st.members.begin(), st.members.end()},
                   st.last_message,
                   seq};
}

events::expected<schedule_view, rejection> view_of(const schedule_state& st,
                                                   const std::string& id,
                                                   events::aggregate_seq seq) {
  if (!st.exists)
    return missing("schedule");
  return schedule_view{events::schedule_id{id},
                       st.room,
                       st.creator,
                       st.title,
                       st.starts_at,
                       st.place,
                       st.capacity,
                       st.closed,
                       st.seated,
                       st.waitlist,
                       seq};
}

events::expected<user_profile, rejection> view_of(const user_state& st,
                                                  const std::string& id,
                                                  events::aggregate_seq seq) {
  if (!st.exists)
    return missing("user");
  return user_profile{events::user_id{id},
                      st.username,
                      st.display_name,
                      st.image_url,
                      st.deactivated,
                      {st.friends.begin(), st.friends.end()},
                      seq};
}

events::expected<stored_credentials, rejection>
credentials_of(const user_state& st, const std::string& id) {
  if (!st.exists)
    return missing("user");
  return stored_credentials{events::user_id{id},
                            password_hash{st.password_hash}, st.deactivated};
}

void to_json(nlohmann::json& j, const room_view& v) {
  j = {{"id", v.id.value()},
       {"name", v.name},
       {"description", v.description},
       {"tags", v.tags},
       {"owner", v.owner},
       {"member_limit", v.member_limit},
       {"is_public", v.is_public},
       {"direct", v.direct},
       {"closed", v.closed},
       {"members", v.members},
       {"last_message", v.last_message},
       {"seq", v.seq.value()}};
}

void to_json(nlohmann::json& j, const schedule_view& v) {
  j = {{"id", v.id.value()},       {"room", v.room},
       {"creator", v.creator},     {"title", v.title},
       {"starts_at", v.starts_at}, {"place", v.place},
       {"capacity", v.capacity},   {"closed", v.closed},
       {"seated", v.seated},       {"waitlist", v.waitlist},
       {"seq", v.seq.value()}};
}

void to_json(nlohmann::json& j, const user_profile& v) {
  j = {{"id", v.id.value()},
       {"username", v.username},
       {"display_name", v.display_name},
       {"image_url", v.image_url},
       {"deactivated", v.deactivated},
       {"friends", v.friends},
       {"seq", v.seq.value()}};
}

} // namespace moim::actors
