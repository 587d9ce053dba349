#include "actors/domain/room_aggregate.hpp"

#include "actors/domain/validation.hpp"

namespace moim::actors {

namespace {

using namespace moim::events;

bool is_member(const room_state& s, const user_id& u) {
  return s.members.count(u.value()) != 0;
}

std::optional<rejection> check_open(const room_state& s) {
  if (!s.exists)
    return rejection{rejection_code::not_found, "no such room"};
  if (s.closed)
    return rejection{rejection_code::closed, "the room is closed"};
  return std::nullopt;
}

/// A message number the room has given out.
std::optional<rejection> check_exists(const room_state& s,
                                      const message_seq& message) {
  if (message.value() == 0 || message.value() > s.last_message)
    return rejection{rejection_code::not_found, "no such message"};
  return std::nullopt;
}

bool in_edit_window(const room_state& s, const message_seq& message) {
  return message.value() + edit_window > s.last_message;
}

std::optional<rejection> check_owner(const room_state& s, const user_id& by,
                                     const char* what) {
  if (by.value() != s.owner)
    return rejection{rejection_code::not_owner,
                     std::string{"only the owner may "} + what};
  return std::nullopt;
}

std::optional<rejection> check_details(const std::string& name,
                                       const std::vector<std::string>& tags,
                                       std::uint32_t limit) {
  if (auto bad = check_text("name", name, 1, 100))
    return bad;
  if (tags.size() > 20)
    return rejection{rejection_code::invalid, "at most 20 tags"};
  for (const auto& tag : tags)
    if (auto bad = check_text("tag", tag, 1, 40))
      return bad;
  if (limit < 2 || limit > 10000)
    return rejection{rejection_code::invalid,
                     "member_limit must be between 2 and 10000"};
  return std::nullopt;
}

struct decider {
  const room_state& s;
  room_id id;

  decision operator()(const create_room& c) const {
    if (s.exists)
      return reject(rejection_code::already_exists, "the room exists");
    if (auto bad = check_details(c.name, c.tags, c.member_limit))
      return *bad;
    if (auto bad = check_text("description", c.description, 0, 2000))
      return *bad;
    return std::vector<any_event>{room_created{id, c.name, c.description,
                                               c.tags, c.owner, c.member_limit,
                                               c.is_public, false},
                                  room_member_joined{id, c.owner}};
  }

  decision operator()(const create_direct_room& c) const {
    if (s.exists)
      return reject(rejection_code::already_exists, "the room exists");
    if (c.first == c.second)
      return reject(rejection_code::invalid,
                    "a direct room needs two different users");
    return std::vector<any_event>{
      room_created{id, "direct", "", {}, c.first, 2, false, true},
      room_member_joined{id, c.first}, room_member_joined{id, c.second}};
  }

  decision operator()(const update_room& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (auto bad = check_owner(s, c.by, "update the room"))
      return *bad;
    if (auto bad = check_details(c.name, c.tags, c.member_limit))
      return *bad;
    if (c.member_limit < s.members.size())
      return reject(rejection_code::invalid,
                    "member_limit is below the current member count");
    return std::vector<any_event>{room_updated{
      id, c.name, c.description, c.tags, c.member_limit, c.is_public}};
  }

  decision operator()(const join_room& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (s.banned.count(c.member.value()) != 0)
      return reject(rejection_code::banned, "you are banned from this room");
    if (is_member(s, c.member))
      return reject(rejection_code::already_member, "already a member");
    if (s.direct)
      return reject(rejection_code::full, "a direct room has two members");
    if (s.members.size() >= s.member_limit)
      return reject(rejection_code::full, "the room is full ("
                                            + std::to_string(s.member_limit)
                                            + " members)");
    return std::vector<any_event>{room_member_joined{id, c.member}};
  }

  decision operator()(const leave_room& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (!is_member(s, c.member))
      return reject(rejection_code::not_member, "not a member of this room");
    if (c.member.value() == s.owner)
      return reject(rejection_code::invalid,
                    "the owner cannot leave; close the room instead");
    return std::vector<any_event>{room_member_left{id, c.member}};
  }

  decision operator()(const kick_member& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (auto bad = check_owner(s, c.by, "kick members"))
      return *bad;
    if (c.member == c.by)
      return reject(rejection_code::invalid, "the owner cannot kick itself");
    if (!is_member(s, c.member))
      return reject(rejection_code::not_member, "not a member of this room");
    return std::vector<any_event>{
      room_member_kicked{id, c.member, c.by, c.reason}};
  }

  decision operator()(const ban_member& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (auto bad = check_owner(s, c.by, "ban members"))
      return *bad;
    if (c.member == c.by)
      return reject(rejection_code::invalid, "the owner cannot ban itself");
    if (s.banned.count(c.member.value()) != 0)
      return reject(rejection_code::banned, "already banned");
    return std::vector<any_event>{
      room_member_banned{id, c.member, c.by, c.reason}};
  }

  decision operator()(const post_message& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (!is_member(s, c.author))
      return reject(rejection_code::not_member, "only members may post");
    if (auto bad = check_text("text", c.text, 1, max_message_bytes))
      return *bad;
    if (auto bad = check_text("client_message_id", c.client_message_id, 0,
                              max_client_message_id_bytes))
      return *bad;
    return std::vector<any_event>{
      room_message_posted{id, message_seq{s.last_message + 1}, c.author, c.text,
                          c.client_message_id}};
  }

  decision operator()(const edit_message& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (!is_member(s, c.author))
      return reject(rejection_code::not_member, "only members may edit");
    if (auto bad = check_exists(s, c.message))
      return *bad;
    if (!in_edit_window(s, c.message))
      return reject(rejection_code::too_old, "only the room's last "
                                               + std::to_string(edit_window)
                                               + " messages can be edited");
    auto found = s.authors.find(c.message.value());
    if (found == s.authors.end())
      return reject(rejection_code::not_found, "the message was deleted");
    if (found->second != c.author.value())
      return reject(rejection_code::not_owner,
                    "only the author may edit a message");
    if (auto bad = check_text("text", c.text, 1, max_message_bytes))
      return *bad;
    return std::vector<any_event>{
      room_message_edited{id, c.message, c.author, c.text}};
  }

  decision operator()(const delete_message& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (auto bad = check_exists(s, c.message))
      return *bad;
    if (!in_edit_window(s, c.message)) {
      // Who wrote it is no longer kept; the owner moderates any message.
      if (c.by.value() != s.owner)
        return reject(rejection_code::too_old,
                      "only the owner may delete a message older than the "
                      "room's last "
                        + std::to_string(edit_window));
      return std::vector<any_event>{room_message_deleted{id, c.message, c.by}};
    }
    auto found = s.authors.find(c.message.value());
    if (found == s.authors.end())
      return reject(rejection_code::not_found, "the message was deleted");
    if (found->second != c.by.value() && c.by.value() != s.owner)
      return reject(rejection_code::not_owner,
                    "only the author or the owner may delete a message");
    return std::vector<any_event>{room_message_deleted{id, c.message, c.by}};
  }

  decision operator()(const close_room& c) const {
    if (auto bad = check_open(s))
      return *bad;
    if (auto bad = check_owner(s, c.by, "close the room"))
      return *bad;
    return std::vector<any_event>{room_closed{id, c.by}};
  }
};

struct applier {
  room_state& s;

  void operator()(const room_created& e) {
    s.exists = true;
    s.name = e.name;
    s.description = e.description;
    s.tags = e.tags;
    s.owner = e.owner.value();
    s.member_limit = e.member_limit;
    s.is_public = e.is_public;
    s.direct = e.direct;
  }
  void operator()(const room_updated& e) {
    s.name = e.name;
    s.description = e.description;
    s.tags = e.tags;
    s.member_limit = e.member_limit;
    s.is_public = e.is_public;
  }
  void operator()(const room_member_joined& e) {
    s.members.insert(e.member.value());
  }
  void operator()(const room_member_left& e) {
    s.members.erase(e.member.value());
  }
  void operator()(const room_member_kicked& e) {
    s.members.erase(e.member.value());
  }
  void operator()(const room_member_banned& e) {
    s.members.erase(e.member.value());
    s.banned.insert(e.member.value());
  }
  void operator()(const room_message_posted& e) {
    s.last_message = e.message.value();
    s.authors.emplace_hint(s.authors.end(), e.message.value(),
                           e.author.value());
    // Messages leave the window in order: amortized O(1) per post.
    while (!s.authors.empty()
           && !in_edit_window(s, message_seq{s.authors.begin()->first}))
      s.authors.erase(s.authors.begin());
  }
  void operator()(const room_message_deleted& e) {
    s.authors.erase(e.message.value());
  }
  void operator()(const room_closed&) {
    s.closed = true;
  }
  template<class Other>
  void operator()(const Other&) {
    // not a room event, or one that changes nothing decided on
  }
};

} // namespace

decision room_aggregate::decide(const room_state& state, const std::string& id,
                                const room_command& command) {
  return std::visit(decider{state, room_id{id}}, command);
}

void room_aggregate::apply(room_state& state, const events::any_event& event) {
  std::visit(applier{state}, event);
}

} // namespace moim::actors
