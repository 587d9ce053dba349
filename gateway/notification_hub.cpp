#include "gateway/notification_hub.hpp"

#include "events/ids.hpp"
#include "gateway/idle_order.hpp"
#include "projections/notifications.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace moim::gateway {

using namespace moim::actors;

namespace {

struct inbox {
  std::deque<std::pair<std::string, std::string>> kept; ///< oldest first
  /// Every notification with an id above this one is still kept: the id
  /// of the last one dropped, or the inbox's start.
  std::string floor;
  std::vector<notice_listener> listeners;
  idle_order::mark idle; ///< without listeners: in hub_state::unwatched
};

struct hub_state {
  hub_options options;
  std::unordered_map<std::string, inbox> users;
  std::unordered_map<caf::actor_addr, std::string> user_of; ///< listeners
  std::size_t kept = 0;
  idle_order unwatched; ///< users whose inbox has no listener
  static inline const char* name = "moim.notification_hub";
};

using hub_pointer = notification_hub_actor::stateful_pointer<hub_state>;

void drop_inbox(hub_state& st,
                std::unordered_map<std::string, inbox>::iterator it) {
  st.unwatched.busy(it->second.idle);
  st.kept -= it->second.kept.size();
  st.users.erase(it);
}

/// Above the cap, the inbox idle longest without listeners goes (never
/// `keep`, the one just made).
void enforce_cap(hub_state& st, const std::string& keep) {
  while (st.users.size() > st.options.max_inboxes) {
    const auto* victim = st.unwatched.oldest_except(keep);
    if (victim == nullptr)
      return; // every other inbox has a live listener
    drop_inbox(st, st.users.find(*victim));
  }
}

inbox& inbox_of(hub_state& st, const std::string& user) {
  auto [it, fresh] = st.users.try_emplace(user);
  if (fresh) {
    // Ids are UUIDv7s: anything from before the inbox existed is not here.
    it->second.floor = events::new_event_id().value();
    st.unwatched.idle(user, it->second.idle);
    enforce_cap(st, user);
    return st.users.at(user);
  }
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
  // Not kept: everything after it still is when it is a well-formed id
  // above the floor; otherwise the client gets all that is kept and resets.
  reply.recovered = events::is_event_id(last_id) && last_id >= box.floor;
  for (const auto& n : box.kept)
    if (!reply.recovered || n.first > last_id)
      reply.missed.push_back(n);
  return reply;
}

void notify(hub_pointer self, projections::notification n) {
  auto& st = self->state;
  auto& box = inbox_of(st, n.user);
  for (const auto& listener : box.listeners)
    self->send(listener, notice_atom::value, n.id, n.frame);
  box.kept.emplace_back(std::move(n.id), std::move(n.frame));
  ++st.kept;
  if (box.kept.size() > st.options.kept_per_user) {
    box.floor = box.kept.front().first;
    box.kept.pop_front();
    --st.kept;
  }
}

notification_hub_actor::behavior_type notification_hub(hub_pointer self,
                                                       hub_options options) {
  self->state.options = options;
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    auto found = st.user_of.find(down.source);
    if (found == st.user_of.end())
      return;
    auto box = st.users.find(found->second);
    st.user_of.erase(found);
    if (box == st.users.end())
      return;
    auto& ls = box->second.listeners;
    ls.erase(std::remove_if(ls.begin(), ls.end(),
                            [&down](const notice_listener& a) {
                              return a.address() == down.source;
                            }),
             ls.end());
    if (ls.empty())
      st.unwatched.idle(box->first, box->second.idle);
  });
  return {
    [self](actors::committed_atom, const actors::committed_ptr& batch) {
      for (const auto& e : batch->events)
        for (auto& n : projections::notifications_of(e))
          notify(self, std::move(n));
    },
    [self](listen_atom, notice_listener who, const std::string& user,
           const std::string& last_id) {
      auto& st = self->state;
      auto& box = inbox_of(st, user);
      auto addr = who.address();
      if (st.user_of.emplace(addr, user).second) {
        st.unwatched.busy(box.idle);
        box.listeners.push_back(std::move(who));
        self->monitor(addr);
      }
      return replay(box, last_id);
    },
    [self](hub_sweep_atom) {
      auto& st = self->state;
      st.unwatched.tick();
      const auto after = static_cast<std::uint64_t>(st.options.idle_sweeps);
      while (const auto* user = st.unwatched.expired(after))
        drop_inbox(st, st.users.find(*user));
    },
    [self](hub_stats_atom) {
      const auto& st = self->state;
      return hub_stats{st.users.size(), st.user_of.size(), st.kept};
    },
  };
}

} // namespace

notification_hub_actor spawn_notification_hub(caf::actor_system& sys,
                                              hub_options options) {
  return sys.spawn(notification_hub, options);
}

} // namespace moim::gateway
