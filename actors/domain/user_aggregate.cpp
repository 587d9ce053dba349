#include "actors/domain/user_aggregate.hpp"

#include "actors/domain/validation.hpp"

#include <cctype>

namespace moim::actors {

namespace {

using namespace moim::events;

bool valid_username(const std::string& name) {
  if (name.size() < 3 || name.size() > 32)
    return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '-')
      return false;
  return true;
}

struct decider {
  const user_state& s;
  user_id id;

  std::optional<rejection> check_active() const {
    if (!s.exists)
      return rejection{rejection_code::not_found, "no such user"};
    if (s.deactivated)
      return rejection{rejection_code::closed, "the user is deactivated"};
    return std::nullopt;
  }

  decision operator()(const register_user& c) const {
    if (!valid_username(c.username))
      return reject(rejection_code::invalid,
                    "username must be 3 to 32 letters, digits, '_', '.' or "
                    "'-'");
    if (s.exists)
      return reject(rejection_code::name_taken,
                    "the username '" + c.username + "' is taken");
    if (auto bad = check_text("display_name", c.display_name, 1, 64))
      return *bad;
    if (auto bad = check_text("image_url", c.image_url, 0, 512))
      return *bad;
    if (c.password_hash.empty())
      return reject(rejection_code::invalid, "a password hash is required");
    return std::vector<any_event>{user_registered{
      id, c.username, c.display_name, c.image_url, c.password_hash}};
  }

  decision operator()(const change_profile& c) const {
    if (auto bad = check_active())
      return *bad;
    if (auto bad = check_text("display_name", c.display_name, 1, 64))
      return *bad;
    if (auto bad = check_text("image_url", c.image_url, 0, 512))
      return *bad;
    return std::vector<any_event>{
      user_profile_changed{id, c.display_name, c.image_url}};
  }

  decision operator()(const deactivate_user& c) const {
    if (auto bad = check_active())
      return *bad;
    return std::vector<any_event>{user_deactivated{id, c.reason}};
  }

  decision operator()(const add_friend& c) const {
    if (auto bad = check_active())
      return *bad;
    if (c.friend_user == id)
      return reject(rejection_code::invalid, "one cannot befriend oneself");
    if (s.friends.count(c.friend_user.value()) != 0)
      return reject(rejection_code::friendship, "already friends");
    return std::vector<any_event>{user_friend_added{id, c.friend_user}};
  }

  decision operator()(const remove_friend& c) const {
    if (auto bad = check_active())
      return *bad;
    if (s.friends.count(c.friend_user.value()) == 0)
      return reject(rejection_code::friendship, "not friends");
    return std::vector<any_event>{user_friend_removed{id, c.friend_user}};
  }
  decision operator()(const mark_notifications_read& c) const {
    if (auto bad = check_active())
      return *bad;
    if (c.up_to.empty() || c.up_to.size() > 64)
      return reject(rejection_code::invalid, "up_to must be a notification id");
    return std::vector<any_event>{user_notifications_read{id, c.up_to}};
  }
  decision operator()(const record_search& c) const {
    if (auto bad = check_active())
      return *bad;
    auto first = c.text.find_first_not_of(" \t");
    auto last = c.text.find_last_not_of(" \t");
    if (first == std::string::npos)
      return reject(rejection_code::invalid, "nothing was searched for");
    std::string text;
    for (unsigned char ch : c.text.substr(first, last - first + 1))
      text += static_cast<char>(std::tolower(ch));
    if (text.size() > 100)
      return reject(rejection_code::invalid,
                    "a recorded search is at most 100 bytes");
    return std::vector<any_event>{user_searched{id, std::move(text)}};
  }
};

struct applier {
  user_state& s;

  void operator()(const user_registered& e) {
    s.exists = true;
    s.username = e.username;
    s.display_name = e.display_name;
    s.image_url = e.image_url;
    s.password_hash = e.password_hash;
  }
  void operator()(const user_profile_changed& e) {
    s.display_name = e.display_name;
    s.image_url = e.image_url;
  }
  void operator()(const user_deactivated&) {
    s.deactivated = true;
  }
  void operator()(const user_friend_added& e) {
    s.friends.insert(e.friend_user.value());
  }
  void operator()(const user_friend_removed& e) {
    s.friends.erase(e.friend_user.value());
  }
  template<class Other>
  void operator()(const Other&) {
    // not a user event
  }
};

} // namespace

decision user_aggregate::decide(const user_state& state, const std::string& id,
                                const user_command& command) {
  return std::visit(decider{state, user_id{id}}, command);
}

void user_aggregate::apply(user_state& state, const events::any_event& event) {
  std::visit(applier{state}, event);
}

} // namespace moim::actors
