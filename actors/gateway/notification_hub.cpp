#include "actors/gateway/notification_hub.hpp"

#include "events/ids.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace moim::actors {

namespace {

struct inbox {
  std::deque<std::pair<std::string, std::string>> kept; ///< oldest first
  /// Every notification with an id above this one is still kept: the id
  /// of the last one dropped, or the hub's start.
  std::string floor;
  std::vector<caf::actor> listeners;
};

struct hub_state {
  std::unordered_map<std::string, inbox> users;
  std::string started; ///< an id from the hub's start
  std::size_t kept_per_user = 100;
  static inline const char* name = "moim.notification_hub";
};

using hub_pointer = caf::stateful_actor<hub_state>*;

inbox& inbox_of(hub_state& st, const std::string& user) {
  auto [it, fresh] = st.users.try_emplace(user);
  if (fresh)
    it->second.floor = st.started;
  return it->second;
}

listen_reply replay(const inbox& box, const std::string& last_id) {
  listen_reply reply;
  if (last_id.empty())
    return reply;
  auto found
    = std::find_if(box.kept.begin(), box.kept.end(), [&last_id](const auto& n) {
        return n.first == last_id;
      });
  if (found != box.kept.end()) {
    reply.missed.assign(std::next(found), box.kept.end());
    return reply;
  }
  // Not kept: everything after it still is when it is above the floor.
  reply.recovered = last_id >= box.floor;
  for (const auto& n : box.kept)
    if (!reply.recovered || n.first > last_id)
      reply.missed.push_back(n);
  return reply;
}

caf::behavior notification_hub(caf::stateful_actor<hub_state>* self,
                               std::size_t kept_per_user) {
  self->state.started = events::new_event_id().value();
  self->state.kept_per_user = kept_per_user;
  self->set_down_handler([self](caf::down_msg& down) {
    for (auto& [user, box] : self->state.users) {
      auto& ls = box.listeners;
      ls.erase(std::remove_if(ls.begin(), ls.end(),
                              [&down](const caf::actor& a) {
                                return a.address() == down.source;
                              }),
               ls.end());
    }
  });
  return {
    [self](notify_atom, const std::string& user, const std::string& id,
           const std::string& frame) {
      auto& box = inbox_of(self->state, user);
      box.kept.emplace_back(id, frame);
      if (box.kept.size() > self->state.kept_per_user) {
        box.floor = box.kept.front().first;
        box.kept.pop_front();
      }
      for (const auto& listener : box.listeners)
        self->send(listener, notice_atom::value, id, frame);
    },
    [self](listen_atom, const std::string& user, const std::string& last_id) {
      auto& box = inbox_of(self->state, user);
      auto sender = caf::actor_cast<caf::actor>(self->current_sender());
      if (std::find(box.listeners.begin(), box.listeners.end(), sender)
          == box.listeners.end()) {
        box.listeners.push_back(sender);
        self->monitor(sender);
      }
      return replay(box, last_id);
    },
  };
}

} // namespace

caf::actor spawn_notification_hub(caf::actor_system& sys,
                                  std::size_t kept_per_user) {
  return sys.spawn(notification_hub, kept_per_user);
}

} // namespace moim::actors
