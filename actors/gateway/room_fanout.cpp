#include "actors/gateway/room_fanout.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <unordered_map>

namespace moim::actors {

namespace {

constexpr std::size_t recent_per_room = 256;

struct subscriber {
  caf::actor handle;
  std::string user;
};

struct fanout_state {
  std::unordered_map<std::string, std::vector<subscriber>> rooms;
  std::unordered_map<std::string,
                     std::deque<std::pair<std::uint64_t, std::string>>>
    recent;
  static inline const char* name = "moim.room_fanout";
};

void broadcast(fanout_state& st, caf::event_based_actor* self,
               const std::string& room, const std::string& frame,
               const caf::actor& except = {}) {
  auto found = st.rooms.find(room);
  if (found == st.rooms.end())
    return;
  for (const auto& sub : found->second)
    if (sub.handle != except)
      self->send(sub.handle, push_atom::value, frame);
}

std::string presence_frame(const std::string& room, const std::string& user,
                           bool online) {
  return nlohmann::json{
    {"type", "presence"}, {"room", room}, {"user", user}, {"online", online}}
    .dump();
}

void remove(fanout_state& st, caf::event_based_actor* self,
            const std::string& room, const caf::actor_addr& who) {
  auto found = st.rooms.find(room);
  if (found == st.rooms.end())
    return;
  auto& subs = found->second;
  for (auto it = subs.begin(); it != subs.end(); ++it) {
    if (it->handle.address() == who) {
      auto user = it->user;
      subs.erase(it);
      broadcast(st, self, room, presence_frame(room, user, false));
      break;
    }
  }
  if (subs.empty())
    st.rooms.erase(found);
}

caf::behavior room_fanout(caf::stateful_actor<fanout_state>* self) {
  self->set_down_handler([self](caf::down_msg& down) {
    std::vector<std::string> rooms;
    for (const auto& [room, subs] : self->state.rooms)
      rooms.push_back(room);
    for (const auto& room : rooms)
      remove(self->state, self, room, down.source);
  });
  return {
    [self](publish_atom, const std::string& room, std::uint64_t seq,
           const std::string& frame) {
      auto& recent = self->state.recent[room];
      recent.emplace_back(seq, frame);
      if (recent.size() > recent_per_room)
        recent.pop_front();
      broadcast(self->state, self, room, frame);
    },
    [self](subscribe_atom, const std::string& room, const std::string& user,
           std::uint64_t last_seq, std::uint64_t current_seq) {
      auto sender = caf::actor_cast<caf::actor>(self->current_sender());
      subscription_reply reply;
      if (last_seq < current_seq) {
        const auto& recent = self->state.recent[room];
        // Recoverable when the ring still holds the event after last_seq.
        bool covered = !recent.empty() && recent.front().first <= last_seq + 1;
        if (!covered) {
          reply.recovered = false;
        } else {
          for (const auto& [seq, frame] : recent)
            if (seq > last_seq)
              reply.missed.push_back(frame);
        }
      }
      auto& subs = self->state.rooms[room];
      for (const auto& sub : subs)
        reply.online.push_back(sub.user);
      bool already = false;
      for (const auto& sub : subs)
        already = already || sub.handle == sender;
      if (!already) {
        broadcast(self->state, self, room, presence_frame(room, user, true));
        subs.push_back({sender, user});
        self->monitor(sender);
      }
      return reply;
    },
    [self](unsub_atom, const std::string& room) {
      remove(self->state, self, room,
             caf::actor_cast<caf::actor_addr>(self->current_sender()));
    },
    [self](typing_atom, const std::string& room, const std::string& user) {
      broadcast(
        self->state, self, room,
        nlohmann::json{{"type", "typing"}, {"room", room}, {"user", user}}
          .dump(),
        caf::actor_cast<caf::actor>(self->current_sender()));
    },
  };
}

} // namespace

caf::actor spawn_room_fanout(caf::actor_system& sys) {
  return sys.spawn(room_fanout);
}

} // namespace moim::actors
