#include "gateway/room_fanout.hpp"

#include "events/public_frame.hpp"
#include "gateway/idle_order.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <set>
#include <thread>
#include <unordered_map>

namespace moim::gateway {

using namespace moim::actors;

namespace {

using nlohmann::json;

struct recent_frame {
  std::uint64_t seq = 0;
  infra::shared_frame frame;
  std::string removed; ///< the member this event removed, if any
};

struct subscriber {
  room_subscriber handle;
  frame_sink sink;
  std::string user;
};

struct room_entry {
  std::vector<subscriber> subs;
  std::deque<recent_frame> recent;
  idle_order::mark idle; ///< without subscribers: in fanout_state::unwatched
};

struct subscriber_entry {
  room_subscriber handle;
  std::set<std::string> rooms;
};

struct fanout_state {
  fanout_options options;
  std::unordered_map<std::string, room_entry> rooms;
  std::unordered_map<caf::actor_addr, subscriber_entry> by_subscriber;
  std::size_t buffered = 0;
  idle_order unwatched; ///< rooms nobody here watches
  static inline const char* name = "moim.room_fanout";
};

using fanout_pointer = room_fanout_actor::stateful_pointer<fanout_state>;

infra::shared_frame presence_frame(const std::string& room,
                                   const std::string& user, bool online) {
  return infra::make_frame(json{
    {"type", "presence"},
    {"room", room},
    {"user", user},
    {"online", online}}.dump());
}

/// One frame, its bytes shared by every subscriber's queue, handed to
/// each I/O thread once (a slow consumer is closed by its queue).
void broadcast(const room_entry& entry, const infra::shared_frame& frame,
               const caf::actor_addr& except = {}) {
  std::vector<frame_sink> to;
  to.reserve(entry.subs.size());
  for (const auto& sub : entry.subs)
    if (sub.handle.address() != except)
      to.push_back(sub.sink);
  infra::send_to_each(frame, to);
}

/// Ends `who`'s subscription to `room` (presence to the others).
void remove(fanout_pointer self, const std::string& room,
            const caf::actor_addr& who) {
  auto& st = self->state;
  auto found = st.rooms.find(room);
  if (found == st.rooms.end())
    return;
  auto& subs = found->second.subs;
  for (auto it = subs.begin(); it != subs.end(); ++it) {
    if (it->handle.address() != who)
      continue;
    auto user = it->user;
    subs.erase(it);
    broadcast(found->second, presence_frame(room, user, false));
    if (st.options.presence)
      st.options.presence(room, user, false);
    if (subs.empty())
      st.unwatched.idle(room, found->second.idle);
    break;
  }
  if (auto s = st.by_subscriber.find(who); s != st.by_subscriber.end()) {
    s->second.rooms.erase(room);
    if (s->second.rooms.empty()) {
      self->demonitor(who);
      st.by_subscriber.erase(s);
    }
  }
}

/// The member an event takes out of the room ("" for other events).
std::string removed_member(const events::event_envelope& e) {
  if (e.type == "room.member_kicked" || e.type == "room.member_banned"
      || e.type == "room.member_left")
    return e.payload.value("member", std::string{});
  return {};
}

std::string why_removed(const std::string& type) {
  if (type == "room.member_kicked")
    return "kicked";
  if (type == "room.member_banned")
    return "banned";
  return "left";
}

/// Ends the subscriptions of the member `e` removed from the room (its
/// frame already written): membership is what a subscription was granted
/// on.
void drop_removed(fanout_pointer self, room_entry& entry,
                  const events::event_envelope& e, const std::string& removed) {
  const auto& room = e.aggregate.value();
  std::vector<subscriber> gone;
  for (const auto& sub : entry.subs)
    if (sub.user == removed)
      gone.push_back(sub);
  auto why = why_removed(e.type);
  for (const auto& sub : gone) {
    sub.sink->send(json{{"type", "unsubscribed"},
                        {"room", room},
                        {"reason", why},
                        {"message", "you are no longer a member of the room"}}
                     .dump());
    self->send(sub.handle, dropped_atom::value, room, why);
    remove(self, room, sub.handle.address());
  }
}

/// Frames of one committed batch not yet written: they go to every
/// subscriber as one message, a frame per line (one write and one system
/// call per subscriber for the batch, not one per event).
struct pending_frames {
  std::string joined;
  std::size_t count = 0;
  infra::shared_frame only; ///< the one frame, when count == 1

  void add(const infra::shared_frame& frame) {
    if (count == 0) {
      only = frame;
    } else {
      if (count == 1)
        joined = *only;
      joined += '\n';
      joined += *frame;
    }
    ++count;
  }

  void write_to(const room_entry& entry) {
    if (count == 0)
      return;
    broadcast(entry, count == 1 ? only : infra::make_frame(std::move(joined)));
    *this = {};
  }
};

/// A room's committed batch: each event's frame is kept for recovery, and
/// the batch is written to the subscribers in as few messages as the
/// removals in it allow (a removed member gets its removal, then nothing).
void publish(fanout_pointer self, const actors::committed_batch& batch) {
  auto& st = self->state;
  auto found = st.rooms.find(batch.aggregate.value());
  if (found == st.rooms.end())
    return; // nobody on this node watches the room: nothing is kept
  auto& entry = found->second;
  pending_frames out;
  for (const auto& e : batch.events) {
    auto frame = infra::make_frame(events::room_event_frame(e));
    auto removed = removed_member(e);
    out.add(frame);
    entry.recent.push_back({e.seq.value(), std::move(frame), removed});
    ++st.buffered;
    if (entry.recent.size() > st.options.recent_per_room) {
      entry.recent.pop_front();
      --st.buffered;
    }
    if (!removed.empty()) {
      out.write_to(entry);
      drop_removed(self, entry, e, removed);
    }
  }
  out.write_to(entry);
}

/// Whether the recent buffer holds every event after `from` (up to the
/// current one, and whatever came since).
bool covers(const room_entry& entry, std::uint64_t from,
            std::uint64_t current_seq) {
  if (entry.recent.empty())
    return from >= current_seq;
  return entry.recent.front().seq <= from + 1;
}

subscription_reply subscribe(fanout_pointer self, subscription_request& req) {
  auto& st = self->state;
  const auto& room = req.room;
  auto& entry = st.rooms[room];
  subscription_reply reply;
  // Removed after the membership check the subscriber made?
  for (const auto& r : entry.recent)
    if (r.seq > req.current_seq && r.removed == req.user) {
      reply.refused = true;
      break;
    }
  // Events after `from` are owed: those since the last one the client
  // saw, or since the membership check for a client new to the room.
  auto from = std::min(req.last_seq, req.current_seq);
  reply.recovered = covers(entry, from, req.current_seq);
  if (!reply.refused && !reply.recovered && req.history)
    reply.history_through
      = entry.recent.empty() ? req.current_seq : entry.recent.front().seq - 1;
  if (reply.refused || reply.history_through) {
    // Kept from now on for the retry; swept if nobody comes.
    if (entry.subs.empty() && !entry.idle.idle)
      st.unwatched.idle(room, entry.idle);
    return reply;
  }
  // Written here, in this order, before any later event of the room.
  std::vector<std::string> online;
  for (const auto& sub : entry.subs)
    online.push_back(sub.user);
  req.sink->send(json{
    {"type", "subscribed"},
    {"room", room},
    {"seq", req.current_seq},
    {"online",
     online}}.dump());
  for (auto& frame : req.prelude)
    req.sink->send(std::move(frame));
  if (!reply.recovered)
    req.sink->send(
      json{{"type", "recovery_impossible"}, {"room", room}}.dump());
  else
    for (const auto& r : entry.recent)
      if (r.seq > from) {
        req.sink->send(r.frame);
        ++reply.missed;
      }
  auto addr = req.who.address();
  auto& mine = st.by_subscriber[addr];
  if (mine.rooms.insert(room).second) {
    broadcast(entry, presence_frame(room, req.user, true));
    if (st.options.presence)
      st.options.presence(room, req.user, true);
    st.unwatched.busy(entry.idle);
    entry.subs.push_back({req.who, req.sink, req.user});
    if (mine.rooms.size() == 1) {
      mine.handle = req.who;
      self->monitor(req.who);
    }
  }
  return reply;
}

room_fanout_actor::behavior_type room_fanout(fanout_pointer self,
                                             fanout_options options) {
  self->state.options = options;
  self->set_down_handler([self](caf::down_msg& down) {
    auto found = self->state.by_subscriber.find(down.source);
    if (found == self->state.by_subscriber.end())
      return;
    auto rooms = found->second.rooms; // remove() edits the set
    for (const auto& room : rooms)
      remove(self, room, down.source);
  });
  return {
    [self](actors::committed_atom, const actors::committed_ptr& batch) {
      if (batch->kind != events::aggregate_kind::room
          || fanout_shard_of(batch->aggregate.value(),
                             self->state.options.shards)
               != self->state.options.shard)
        return;
      publish(self, *batch);
    },
    [self](subscribe_atom, subscription_request& req) {
      return subscribe(self, req);
    },
    [self](unsub_atom, const room_subscriber& who, const std::string& room) {
      remove(self, room, who.address());
    },
    [self](typing_atom, const room_subscriber& who, const std::string& room,
           const std::string& user) {
      auto found = self->state.rooms.find(room);
      if (found != self->state.rooms.end())
        broadcast(
          found->second,
          infra::make_frame(
            json{{"type", "typing"}, {"room", room}, {"user", user}}.dump()),
          who.address());
    },
    [self](sweep_atom) {
      auto& st = self->state;
      st.unwatched.tick();
      const auto after = static_cast<std::uint64_t>(st.options.idle_sweeps);
      while (const auto* room = st.unwatched.expired(after)) {
        auto oldest = st.rooms.find(*room);
        st.unwatched.busy(oldest->second.idle);
        st.buffered -= oldest->second.recent.size();
        st.rooms.erase(oldest);
      }
    },
    [self](stats_atom) {
      const auto& st = self->state;
      return fanout_stats{st.rooms.size(), st.by_subscriber.size(),
                          st.buffered};
    },
  };
}

} // namespace

room_fanout_actor spawn_room_fanout(caf::actor_system& sys,
                                    fanout_options options) {
  return sys.spawn(room_fanout, options);
}

std::size_t fanout_shard_of(const std::string& room, std::size_t shards) {
  return std::hash<std::string>{}(room) % shards;
}

fanout_shards::fanout_shards(caf::actor_system& sys, std::size_t count,
                             fanout_options options) {
  if (count == 0)
    count = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 16);
  options.shards = count;
  for (std::size_t i = 0; i < count; ++i) {
    options.shard = i;
    shards_.push_back(spawn_room_fanout(sys, options));
  }
}

} // namespace moim::gateway
