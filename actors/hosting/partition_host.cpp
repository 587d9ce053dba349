#include "actors/hosting/partition_host.hpp"

#include "actors/domain/room_aggregate.hpp"
#include "actors/domain/saga_log_aggregate.hpp"
#include "actors/domain/schedule_aggregate.hpp"
#include "actors/domain/user_aggregate.hpp"
#include "actors/hosting/aggregate_actor.hpp"
#include "events/vassert.hpp"

#include <functional>
#include <list>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace moim::actors {

namespace {

/// Work for an aggregate that is being loaded or passivated: run with its
/// actor once live, or refused.
struct pending_call {
  std::function<void(const aggregate_actor&)> run;
  std::function<void(const rejection&)> refuse;
};

/// A call that delegates (atom, request) to the aggregate and answers a
/// refusal as a Reply (every reply type is an expected<_, rejection>).
template<class Reply, class Atom, class Request>
pending_call delegating(caf::typed_response_promise<Reply> rp, Atom atom,
                        Request request) {
  return {[rp, atom, request](const aggregate_actor& handle) mutable {
            rp.delegate(handle, atom, std::move(request));
          },
          [rp](const rejection& r) mutable {
            rp.deliver(Reply{r});
          }};
}

struct host_state {
  infra::topic_partition where;
  events::aggregate_kind kind = events::aggregate_kind::room;
  std::shared_ptr<infra::partition_writer> writer;
  state_io_actor io;
  host_options options;

  struct live_entry {
    aggregate_actor handle;
    std::list<std::string>::iterator lru;
  };
  std::unordered_map<std::string, live_entry> live;
  std::list<std::string> lru; ///< front: most recently used

  /// Commands for aggregates being loaded or passivated.
  std::unordered_map<std::string, std::vector<pending_call>> waiting;

  /// Snapshots newer than the store: not yet handed to it, and handed but
  /// not yet acknowledged.
  std::unordered_map<std::string, infra::aggregate_snapshot> unwritten;
  std::unordered_map<std::string, infra::aggregate_snapshot> writing;

  /// Per aggregate: last seq of an appended batch -> its first offset, for
  /// batches no written snapshot covers yet.
  std::unordered_map<std::string, std::map<std::uint64_t, std::int64_t>>
    unpersisted;
  std::int64_t end_offset = 0;   ///< after the last event seen committed
  std::int64_t checkpointed = 0; ///< in the store
  bool write_in_flight = false;
  std::uint64_t ticks = 0;

  host_stats stats;
  bool revoking = false;
  std::unordered_set<std::string> failed; ///< aggregates that died

  static inline const char* name = "moim.partition_host";
};

using host_pointer = partition_host_actor::stateful_pointer<host_state>;

void passivate(host_pointer self, std::string id);

template<class Aggregate>
aggregate_actor
spawn_aggregate(host_pointer self,
                const std::optional<infra::aggregate_snapshot>& snap,
                const std::string& id) {
  auto core = snap ? aggregate_core<Aggregate>::from_snapshot(*snap)
                   : aggregate_core<Aggregate>{id};
  return self->spawn(
    aggregate_behavior<Aggregate>, std::move(core), self->state.writer,
    caf::actor_cast<partition_host_actor>(self), self->state.options.listeners,
    self->state.options.batches_in_flight);
}

aggregate_actor
spawn_for_kind(host_pointer self,
               const std::optional<infra::aggregate_snapshot>& snap,
               const std::string& id) {
  switch (self->state.kind) {
    case events::aggregate_kind::user:
      return spawn_aggregate<user_aggregate>(self, snap, id);
    case events::aggregate_kind::room:
      return spawn_aggregate<room_aggregate>(self, snap, id);
    case events::aggregate_kind::schedule:
      return spawn_aggregate<schedule_aggregate>(self, snap, id);
    case events::aggregate_kind::saga:
      return spawn_aggregate<saga_log_aggregate>(self, snap, id);
  }
  MOIM_VASSERT(false, "%s: a host of no known kind",
               self->state.where.text().c_str());
  return {};
}

std::int64_t checkpoint_offset(const host_state& st) {
  auto c = st.end_offset;
  // An aggregate's batches reach the log in its order: its oldest
  // unsnapshotted batch has its lowest offset.
  for (const auto& [id, batches] : st.unpersisted)
    if (!batches.empty())
      c = std::min(c, batches.begin()->second);
  return c;
}

void write_checkpoint(host_pointer self) {
  auto& st = self->state;
  auto c = checkpoint_offset(st);
  if (st.write_in_flight || (st.unwritten.empty() && c == st.checkpointed))
    return;
  write_request req{st.where, {}, {checkpoint_schema_version, c}};
  for (auto& [id, snap] : st.unwritten) {
    req.snapshots.push_back(snap);
    st.writing[id] = std::move(snap);
  }
  st.unwritten.clear();
  st.write_in_flight = true;
  auto written = req.snapshots;
  self->request(st.io, caf::infinite, snapshot_atom::value, std::move(req))
    .then([self, c, written](bool ok) {
      auto& st = self->state;
      st.write_in_flight = false;
      if (!ok) { // try again at the next tick
        for (const auto& snap : written)
          if (st.unwritten.count(snap.id) == 0)
            st.unwritten[snap.id] = snap;
      } else {
        st.checkpointed = c;
      }
      for (const auto& snap : written) {
        auto found = st.writing.find(snap.id);
        if (found != st.writing.end() && found->second.seq == snap.seq)
          st.writing.erase(found);
      }
    });
}

/// Records a snapshot from an aggregate: batches up to its seq are covered.
void take_snapshot(host_state& st, infra::aggregate_snapshot snap) {
  if (snap.seq == 0)
    return; // never existed (a query or a refused command): nothing to keep
  auto found = st.unpersisted.find(snap.id);
  if (found != st.unpersisted.end()) {
    auto& batches = found->second;
    batches.erase(batches.begin(), batches.upper_bound(snap.seq));
    if (batches.empty())
      st.unpersisted.erase(found);
  }
  auto id = snap.id;
  st.unwritten[id] = std::move(snap);
}

void reject_all(std::vector<pending_call>& calls, rejection_code code,
                const std::string& reason) {
  for (auto& call : calls)
    call.refuse(rejection{code, reason});
  calls.clear();
}

/// The newest snapshot the host holds in memory, if any.
std::optional<infra::aggregate_snapshot> in_memory(const host_state& st,
                                                   const std::string& id) {
  if (auto it = st.unwritten.find(id); it != st.unwritten.end())
    return it->second;
  if (auto it = st.writing.find(id); it != st.writing.end())
    return it->second;
  return std::nullopt;
}

void activate(host_pointer self, const std::string& id,
              std::optional<infra::aggregate_snapshot> snap) {
  auto& st = self->state;
  auto handle = spawn_for_kind(self, snap, id);
  st.lru.push_front(id);
  st.live[id] = {handle, st.lru.begin()};
  ++st.stats.spawned;
  auto queued = std::move(st.waiting[id]);
  st.waiting.erase(id);
  for (auto& call : queued)
    call.run(handle);
  // Memory stays bounded: the least recently used go (the new one is at
  // the front, and its commands are already in its mailbox).
  while (st.live.size() > st.options.max_live_aggregates)
    passivate(self, st.lru.back());
}

void passivate(host_pointer self, std::string id) {
  auto& st = self->state;
  auto found = st.live.find(id);
  if (found == st.live.end())
    return;
  auto handle = found->second.handle;
  st.lru.erase(found->second.lru);
  st.live.erase(found);
  st.waiting[id]; // commands for it wait for its final snapshot
  self->request(handle, caf::infinite, passivate_atom::value)
    .then(
      [self, id](infra::aggregate_snapshot& snap) {
        auto& st = self->state;
        ++st.stats.passivated;
        take_snapshot(st, snap);
        auto queued = std::move(st.waiting[id]);
        st.waiting.erase(id);
        if (!queued.empty()) {
          st.waiting[id] = std::move(queued);
          activate(self, id, std::move(snap));
        }
      },
      [self, id](caf::error& err) {
        // The aggregate died without a final snapshot: its commands are
        // refused (retryable); the log still holds all it committed.
        auto& st = self->state;
        reject_all(st.waiting[id], rejection_code::unavailable,
                   "the aggregate failed: " + caf::to_string(err));
        st.waiting.erase(id);
        // Its newest state is only in the log now: refuse it until the
        // partition is restored again (reassignment replays the tail).
        st.failed.insert(id);
      });
}

/// Brings `id` live (from memory or the store), then hands it the command.
void load_then_forward(host_pointer self, const std::string& id,
                       pending_call call) {
  auto& st = self->state;
  auto& queue = st.waiting[id];
  queue.push_back(std::move(call));
  if (queue.size() > 1)
    return; // a load is under way
  if (auto snap = in_memory(st, id)) {
    activate(self, id, std::move(snap));
    return;
  }
  self
    ->request(st.io, caf::infinite, loaded_atom::value,
              load_request{st.where, id})
    .then([self, id](load_response& res) {
      auto& st = self->state;
      if (!res.error.empty()) {
        reject_all(st.waiting[id], rejection_code::unavailable,
                   "the state store failed: " + res.error);
        st.waiting.erase(id);
        return;
      }
      // A snapshot may have reached memory while the store was read.
      auto snap = in_memory(st, id);
      if (!snap && res.found)
        snap = std::move(res.snapshot);
      activate(self, id, std::move(snap));
    });
}

void forward(host_pointer self, const std::string& id, pending_call call) {
  auto& st = self->state;
  if (st.revoking) {
    call.refuse(
      rejection{rejection_code::not_owner_node,
                st.where.text() + " is moving to another node; retry"});
    return;
  }
  if (st.failed.count(id) != 0) {
    call.refuse(
      rejection{rejection_code::unavailable,
                "this aggregate failed; it serves again after its partition is "
                "restored"});
    return;
  }
  if (auto found = st.live.find(id); found != st.live.end()) {
    st.lru.splice(st.lru.begin(), st.lru, found->second.lru);
    call.run(found->second.handle);
    return;
  }
  if (auto w = st.waiting.find(id); w != st.waiting.end()) {
    w->second.push_back(std::move(call));
    return;
  }
  load_then_forward(self, id, std::move(call));
}

/// A typed query of the aggregate named in it.
template<class Reply, class Query>
caf::typed_response_promise<Reply> query(host_pointer self,
                                         const std::string& id, Query q) {
  auto rp = self->make_response_promise<Reply>();
  forward(self, id, delegating(rp, query_atom::value, std::move(q)));
  return rp;
}

partition_host_actor::behavior_type partition_host(
  host_pointer self, infra::topic_partition where, events::aggregate_kind kind,
  std::shared_ptr<infra::partition_writer> writer, state_io_actor io,
  std::int64_t start_offset, host_options options) {
  auto& st = self->state;
  st.where = std::move(where);
  st.kind = kind;
  st.writer = std::move(writer);
  st.io = std::move(io);
  st.options = options;
  st.end_offset = start_offset;
  st.checkpointed = start_offset;
  self->delayed_send(self, options.checkpoint_interval, tick_atom::value);
  return {
    [self](command_atom, command_envelope& cmd) {
      auto rp = self->make_response_promise<command_reply>();
      auto id = cmd.aggregate.value();
      forward(self, id, delegating(rp, command_atom::value, std::move(cmd)));
      return rp;
    },
    [self](query_atom, member_query& q) {
      auto id = q.room.value();
      return query<member_reply>(self, id, std::move(q));
    },
    [self](query_atom, room_query& q) {
      auto id = q.room.value();
      return query<room_reply>(self, id, std::move(q));
    },
    [self](query_atom, schedule_query& q) {
      auto id = q.schedule.value();
      return query<schedule_reply>(self, id, std::move(q));
    },
    [self](query_atom, profile_query& q) {
      auto id = q.user.value();
      return query<profile_reply>(self, id, std::move(q));
    },
    [self](query_atom, credentials_query& q) {
      auto id = q.user.value();
      return query<credentials_reply>(self, id, std::move(q));
    },
    [self](state_atom, const events::aggregate_id& aggregate) {
      const auto& id = aggregate.value();
      auto rp = self->make_response_promise<std::string>();
      auto& st = self->state;
      if (auto found = st.live.find(id); found != st.live.end()) {
        rp.delegate(found->second.handle, state_atom::value);
        return rp;
      }
      // Not live: bring it up through an empty-handed command path.
      self
        ->request(st.io, caf::infinite, loaded_atom::value,
                  load_request{st.where, id})
        .then([self, id, rp](load_response& res) mutable {
          auto snap = in_memory(self->state, id);
          if (!snap && res.found)
            snap = res.snapshot;
          if (!snap) {
            rp.deliver(std::string{"{\"seq\":0,\"state\":null}"});
            return;
          }
          auto j = nlohmann::json::parse(snap->data);
          rp.deliver(
            nlohmann::json{{"seq", snap->seq}, {"state", j["state"]}}.dump());
        });
      return rp;
    },
    [self](appended_atom, aggregate_actor& agg, const events::aggregate_id& id,
           events::aggregate_seq first, infra::append_result& r) {
      auto& st = self->state;
      if (r && !r->empty()) {
        // A batch's events have consecutive sequence numbers, one position
        // each (later commands may have joined its append).
        auto last = first.value() + r->size() - 1;
        st.unpersisted[id.value()][last] = r->front().offset.value();
        st.end_offset = std::max(st.end_offset, r->back().offset.value() + 1);
      }
      self->send(agg, appended_atom::value, first, std::move(r));
    },
    [self](snapshot_atom, infra::aggregate_snapshot& snap) {
      take_snapshot(self->state, std::move(snap));
    },
    [self](tick_atom) {
      // Live aggregates holding the checkpoint back are asked for a
      // snapshot, so a hot aggregate cannot stall it: each once per
      // snapshot_interval, at a tick of its own (by its id), since a
      // snapshot serializes the aggregate's whole state and every busy
      // aggregate asked at once stalled all of them for a moment.
      auto& st = self->state;
      std::size_t asked = 0;
      auto every = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(st.options.snapshot_interval
                                      / st.options.checkpoint_interval));
      auto turn = ++st.ticks % every;
      for (const auto& [id, batches] : st.unpersisted) {
        if (std::hash<std::string>{}(id) % every != turn)
          continue;
        auto live = st.live.find(id);
        if (live == st.live.end() || asked++ >= 256)
          continue;
        self->request(live->second.handle, caf::infinite, snapshot_atom::value)
          .then(
            [self](infra::aggregate_snapshot& snap) {
              take_snapshot(self->state, std::move(snap));
            },
            [](caf::error&) {
              // passivated meanwhile: its final snapshot covers the batches
            });
      }
      write_checkpoint(self);
      if (!self->state.revoking)
        self->delayed_send(self, self->state.options.checkpoint_interval,
                           tick_atom::value);
    },
    [self](stats_atom) {
      auto s = self->state.stats;
      s.live = self->state.live.size();
      return s;
    },
    [self](revoke_atom) {
      auto rp = self->make_response_promise<bool>();
      auto& st = self->state;
      st.revoking = true;
      for (auto& [id, queue] : st.waiting)
        reject_all(queue, rejection_code::not_owner_node,
                   st.where.text() + " is moving to another node; retry");
      std::vector<std::string> ids;
      for (const auto& [id, entry] : st.live)
        ids.push_back(id);
      auto remaining = std::make_shared<std::size_t>(ids.size());
      auto finish = [self, rp]() mutable {
        // The final checkpoint, then let go.
        auto& st = self->state;
        write_request req{
          st.where, {}, {checkpoint_schema_version, checkpoint_offset(st)}};
        for (auto& [id, snap] : st.unwritten)
          req.snapshots.push_back(snap);
        self
          ->request(st.io, caf::infinite, snapshot_atom::value, std::move(req))
          .then([self, rp](bool ok) mutable {
            rp.deliver(ok);
            self->quit();
          });
      };
      if (ids.empty()) {
        finish();
        return rp;
      }
      for (const auto& id : ids) {
        auto handle = st.live[id].handle;
        self->request(handle, caf::infinite, passivate_atom::value)
          .then(
            [self, remaining, finish](infra::aggregate_snapshot& snap) mutable {
              take_snapshot(self->state, std::move(snap));
              if (--*remaining == 0)
                finish();
            });
      }
      st.live.clear();
      st.lru.clear();
      return rp;
    },
  };
}

} // namespace

partition_host_actor spawn_partition_host(
  caf::actor_system& sys, infra::topic_partition where,
  events::aggregate_kind kind, std::shared_ptr<infra::partition_writer> writer,
  state_io_actor io, std::int64_t start_offset, host_options options) {
  return sys.spawn(partition_host, std::move(where), kind, std::move(writer),
                   std::move(io), start_offset, options);
}

} // namespace moim::actors
