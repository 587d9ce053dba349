#pragma once

#include "actors/domain/room_aggregate.hpp"
#include "actors/domain/saga_log_aggregate.hpp"
#include "actors/domain/schedule_aggregate.hpp"
#include "actors/domain/user_aggregate.hpp"
#include "actors/domain/view_of.hpp"
#include "actors/hosting/aggregate_core.hpp"
#include "actors/hosting/messages.hpp"
#include "events/vassert.hpp"

#include <caf/all.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace moim::actors {

/// Commits a snapshot to the host after this many events, so that the
/// events kept for abort() and the host's record of unsnapshotted batches
/// stay bounded. A live aggregate is also asked for one every
/// snapshot_interval, so that the host's checkpoint keeps moving; a
/// snapshot serializes the whole state (with its idempotency keys), so it
/// is not taken more often than that.
constexpr std::size_t snapshot_every_events = 5000;

/// At most this many commands are decided together and appended as one.
constexpr std::size_t max_batch_commands = 2000;

/// A batch appended and not yet answered by the log.
template<class Aggregate>
struct batch_in_flight {
  using promise = caf::typed_response_promise<command_reply>;
  events::aggregate_seq first; ///< its first sequence number: which it is
  std::vector<promise> promises;
  std::vector<command_reply> replies;
  std::vector<bool> accepted;
  std::vector<events::event_envelope> events; ///< for listeners
  /// An earlier batch failed after this one was decided on it: the log
  /// refuses it too (it was appended at that batch's epoch).
  bool doomed = false;
  /// While no commit has taken its append, later commands join it.
  infra::open_append_ptr open;
};

template<class Aggregate>
struct aggregate_actor_state {
  using promise = caf::typed_response_promise<command_reply>;

  std::optional<aggregate_core<Aggregate>> core;
  std::shared_ptr<infra::partition_writer> writer;
  partition_host_actor host;
  std::size_t max_in_flight = 1;
  std::vector<std::pair<command_envelope, promise>> pending;
  bool flush_scheduled = false;

  /// Oldest first. Each was decided on the ones before it, and all were
  /// appended at the epoch the oldest was (chain).
  std::deque<batch_in_flight<Aggregate>> in_flight;
  infra::write_epoch chain;

  std::shared_ptr<const std::vector<committed_listener>> listeners;

  /// Queries and snapshot requests that came while batches were in flight
  /// (the live state is ahead of the log then): run once it is settled.
  /// While any wait, no new batch starts, so they wait for those in
  /// flight only.
  std::vector<std::function<void()>> deferred;
  bool snapshot_due = false; ///< a snapshot for the host, once settled

  std::optional<caf::typed_response_promise<infra::aggregate_snapshot>>
    passivation;

  static inline const char* name = "moim.aggregate";
};

template<class Aggregate>
using aggregate_pointer
  = aggregate_actor::stateful_pointer<aggregate_actor_state<Aggregate>>;

template<class Aggregate>
void maybe_passivate(aggregate_pointer<Aggregate> self) {
  auto& st = self->state;
  if (!st.passivation || !st.in_flight.empty() || !st.pending.empty())
    return;
  st.passivation->deliver(st.core->snapshot());
  self->quit();
}

/// Whether another batch may start: fewer than max_in_flight out, none of
/// them doomed, and nothing waiting for the state to settle.
template<class Aggregate>
bool may_start_batch(const aggregate_actor_state<Aggregate>& st) {
  if (st.in_flight.empty())
    return true;
  return st.in_flight.size() < st.max_in_flight && !st.in_flight.back().doomed
         && st.deferred.empty() && !st.snapshot_due && !st.passivation;
}

/// Whether what is pending may join the newest batch in flight instead:
/// as far as the actor knows no commit has taken its append yet, nothing
/// failed before it, and nothing waits for the state to settle. A command
/// that joins is committed with the batch, not one commit after it.
template<class Aggregate>
bool may_join_open(const aggregate_actor_state<Aggregate>& st) {
  return !st.in_flight.empty() && st.in_flight.back().open
         && !st.in_flight.back().doomed && st.deferred.empty()
         && !st.snapshot_due && !st.passivation;
}

/// Moves what a plan decided into the newest batch in flight, whose
/// append took its events.
template<class Aggregate, class Plan, class Promises>
void join_last(aggregate_actor_state<Aggregate>& st, Plan& plan,
               Promises& promises,
               std::vector<events::event_envelope>& for_listeners) {
  st.core->merge_last();
  auto& last = st.in_flight.back();
  for (std::size_t i = 0; i < promises.size(); ++i) {
    last.promises.push_back(std::move(promises[i]));
    last.replies.push_back(std::move(plan.replies[i]));
    last.accepted.push_back(plan.accepted[i]);
  }
  last.events.insert(last.events.end(),
                     std::make_move_iterator(for_listeners.begin()),
                     std::make_move_iterator(for_listeners.end()));
}

/// Decides what is pending (after the batches in flight) and adds its
/// events to the newest batch's append while no commit has taken it, or
/// appends them as a batch of their own; replies come when the log has
/// taken them (rejections too, since they were decided against a state
/// that includes the earlier commands). A batch of its own starts when
/// fewer than max_in_flight are out, or when the append it tried to join
/// had just been taken: so at most one of an aggregate's appends waits
/// for a commit to take it.
template<class Aggregate>
void flush_batch(aggregate_pointer<Aggregate> self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (!may_start_batch(st) && !may_join_open(st))
    return;
  if (st.pending.empty()) {
    maybe_passivate(self);
    return;
  }
  auto take = std::min(st.pending.size(), max_batch_commands);
  std::vector<command_envelope> commands;
  std::vector<typename aggregate_actor_state<Aggregate>::promise> promises;
  for (std::size_t i = 0; i < take; ++i) {
    commands.push_back(std::move(st.pending[i].first));
    promises.push_back(std::move(st.pending[i].second));
  }
  st.pending.erase(st.pending.begin(),
                   st.pending.begin() + static_cast<std::ptrdiff_t>(take));
  auto plan = st.core->decide(commands);
  if (plan.appends.empty()) {
    if (!st.in_flight.empty()) {
      // Nothing to append, but decided on the batches in flight: answered
      // with the newest of them (refused with it if it fails).
      auto& last = st.in_flight.back();
      for (std::size_t i = 0; i < promises.size(); ++i) {
        last.promises.push_back(std::move(promises[i]));
        last.replies.push_back(std::move(plan.replies[i]));
        last.accepted.push_back(false);
      }
      return;
    }
    for (std::size_t i = 0; i < promises.size(); ++i)
      promises[i].deliver(std::move(plan.replies[i]));
    if (!st.pending.empty())
      flush_batch(self);
    else
      maybe_passivate(self);
    return;
  }
  std::vector<events::event_envelope> for_listeners;
  if (st.listeners && !st.listeners->empty())
    for_listeners = plan.appends;
  if (may_join_open(st)) {
    if (st.writer->extend(st.in_flight.back().open, plan.appends)) {
      join_last(st, plan, promises, for_listeners);
      return;
    }
    st.in_flight.back().open = nullptr; // taken: this one starts its own
  }
  auto first = plan.appends.front().seq;
  if (st.in_flight.empty())
    st.chain = st.writer->epoch();
  batch_in_flight<Aggregate> batch{first,
                                   std::move(promises),
                                   std::move(plan.replies),
                                   std::move(plan.accepted),
                                   std::move(for_listeners),
                                   false,
                                   nullptr};
  st.in_flight.push_back(std::move(batch));
  auto me = caf::actor_cast<aggregate_actor>(self);
  st.in_flight.back().open = st.writer->append_at(
    std::move(plan.appends), st.chain,
    [host = st.host, me, id = st.core->id(), first](infra::append_result r) {
      // Through the host: it sees every commit in log order.
      caf::anon_send(host, appended_atom::value, me, events::aggregate_id{id},
                     first, std::move(r));
    });
}

template<class Aggregate>
void schedule_flush(aggregate_pointer<Aggregate> self) {
  auto& st = self->state;
  if (st.flush_scheduled || (!may_start_batch(st) && !may_join_open(st)))
    return;
  st.flush_scheduled = true;
  // Behind the commands already in the mailbox, so they join the batch.
  self->send(self, flush_atom::value);
}

/// Hands a committed batch to every listener (a mailbox enqueue each: a
/// slow listener never holds the aggregate up).
template<class Aggregate>
void tell_listeners(aggregate_pointer<Aggregate> self,
                    std::vector<events::event_envelope> committed) {
  auto& st = self->state;
  if (!st.listeners || st.listeners->empty() || committed.empty())
    return;
  committed_ptr batch = std::make_shared<committed_batch>(
    committed_batch{Aggregate::kind, events::aggregate_id{st.core->id()},
                    std::move(committed)});
  for (const auto& listener : *st.listeners)
    self->send(listener, committed_atom::value, batch);
}

template<class Reply>
Reply wrong_kind(const char* wanted) {
  return Reply{
    rejection{rejection_code::invalid, std::string{"not a "} + wanted}};
}

// The typed queries, each answered by the aggregate kind it is about.
template<class Aggregate>
member_reply answer(const aggregate_core<Aggregate>& core,
                    const member_query& q) {
  if constexpr (std::is_same_v<Aggregate, room_aggregate>)
    return membership_of(core.state(), q.user,
                         events::aggregate_seq{core.seq()});
  else
    return wrong_kind<member_reply>("room");
}

template<class Aggregate>
room_reply answer(const aggregate_core<Aggregate>& core, const room_query&) {
  if constexpr (std::is_same_v<Aggregate, room_aggregate>)
    return view_of(core.state(), core.id(), events::aggregate_seq{core.seq()});
  else
    return wrong_kind<room_reply>("room");
}

template<class Aggregate>
schedule_reply answer(const aggregate_core<Aggregate>& core,
                      const schedule_query&) {
  if constexpr (std::is_same_v<Aggregate, schedule_aggregate>)
    return view_of(core.state(), core.id(), events::aggregate_seq{core.seq()});
  else
    return wrong_kind<schedule_reply>("schedule");
}

template<class Aggregate>
profile_reply answer(const aggregate_core<Aggregate>& core,
                     const profile_query&) {
  if constexpr (std::is_same_v<Aggregate, user_aggregate>)
    return view_of(core.state(), core.id(), events::aggregate_seq{core.seq()});
  else
    return wrong_kind<profile_reply>("user");
}

template<class Aggregate>
credentials_reply answer(const aggregate_core<Aggregate>& core,
                         const credentials_query&) {
  if constexpr (std::is_same_v<Aggregate, user_aggregate>)
    return credentials_of(core.state(), core.id());
  else
    return wrong_kind<credentials_reply>("user");
}

/// Runs `f` on the core now, or once the batch in flight is settled (its
/// events are in the live state before the log has taken them).
template<class Reply, class Aggregate, class F>
caf::typed_response_promise<Reply>
when_settled(aggregate_pointer<Aggregate> self, F f) {
  auto rp = self->template make_response_promise<Reply>();
  auto& st = self->state;
  if (st.in_flight.empty()) {
    rp.deliver(f(*st.core));
    return rp;
  }
  st.deferred.emplace_back([self, rp, f]() mutable {
    rp.deliver(f(*self->state.core));
  });
  return rp;
}

template<class Reply, class Aggregate, class Query>
caf::typed_response_promise<Reply>
answer_settled(aggregate_pointer<Aggregate> self, const Query& q) {
  return when_settled<Reply>(self, [q](aggregate_core<Aggregate>& core) {
    return answer(core, q);
  });
}

/// The log answered the oldest batch in flight (the one that starts at
/// sequence number `first`).
template<class Aggregate>
void on_appended(aggregate_pointer<Aggregate> self, events::aggregate_seq first,
                 infra::append_result& r) {
  auto& st = self->state;
  MOIM_VASSERT(!st.in_flight.empty() && st.in_flight.front().first == first,
               "%s: an append result for batch %llu arrived, but %s",
               st.core->id().c_str(),
               static_cast<unsigned long long>(first.value()),
               st.in_flight.empty() ? "no batch is in flight"
                                    : "an older batch is in flight");
  auto batch = std::move(st.in_flight.front());
  st.in_flight.pop_front();
  if (r) {
    MOIM_VASSERT(!batch.doomed,
                 "%s: the log took batch %llu, appended after one it refused",
                 st.core->id().c_str(),
                 static_cast<unsigned long long>(first.value()));
    MOIM_VASSERT(!r->empty(), "%s: the log took a batch at no position",
                 st.core->id().c_str());
    for (std::size_t i = 0; i < batch.replies.size(); ++i)
      if (batch.accepted[i] && batch.replies[i])
        batch.replies[i]->position = r->back();
    st.core->commit();
    for (std::size_t i = 0; i < batch.promises.size(); ++i)
      batch.promises[i].deliver(std::move(batch.replies[i]));
    tell_listeners(self, std::move(batch.events));
    if (st.core->events_since_snapshot() >= snapshot_every_events)
      st.snapshot_due = true;
  } else {
    // Nothing of the batch was appended, nor of those decided after it
    // (the log refuses them): the state goes back to what the log holds
    // and every command of them may be sent again.
    if (!batch.doomed) {
      st.core->abort();
      for (auto& later : st.in_flight)
        later.doomed = true;
    }
    for (auto& p : batch.promises)
      p.deliver(command_reply{rejection{
        rejection_code::unavailable,
        "the event log did not take the events: " + r.err().message}});
  }
  if (st.in_flight.empty()) {
    // Settled: the live state is what the log holds.
    auto deferred = std::move(st.deferred);
    st.deferred.clear();
    for (auto& run : deferred)
      run();
    if (st.snapshot_due) {
      st.snapshot_due = false;
      self->send(st.host, snapshot_atom::value, st.core->snapshot());
    }
  }
  if (!st.pending.empty())
    schedule_flush(self);
  maybe_passivate(self);
}

/// One aggregate actor: the single writer of one aggregate.
template<class Aggregate>
aggregate_actor::behavior_type aggregate_behavior(
  aggregate_pointer<Aggregate> self, aggregate_core<Aggregate> core,
  std::shared_ptr<infra::partition_writer> writer, partition_host_actor host,
  std::shared_ptr<const std::vector<committed_listener>> listeners,
  std::size_t max_in_flight) {
  MOIM_VASSERT(max_in_flight >= 1, "an aggregate with no batch in flight");
  self->state.max_in_flight = max_in_flight;
  self->state.core.emplace(std::move(core));
  self->state.listeners = std::move(listeners);
  self->state.writer = std::move(writer);
  self->state.host = std::move(host);
  return {
    [self](command_atom, command_envelope& cmd) {
      auto rp = self->template make_response_promise<command_reply>();
      self->state.pending.emplace_back(std::move(cmd), rp);
      schedule_flush(self);
      return rp;
    },
    [self](flush_atom) {
      flush_batch(self);
    },
    [self](appended_atom, events::aggregate_seq first,
           infra::append_result& r) {
      on_appended(self, first, r);
    },
    [self](passivate_atom) {
      auto rp
        = self->template make_response_promise<infra::aggregate_snapshot>();
      self->state.passivation = rp;
      maybe_passivate(self);
      return rp;
    },
    [self](snapshot_atom) {
      // What the log has acknowledged; an append in flight is not in it.
      return when_settled<infra::aggregate_snapshot>(
        self, [](aggregate_core<Aggregate>& core) {
          return core.snapshot();
        });
    },
    [self](query_atom, const member_query& q) {
      return answer_settled<member_reply>(self, q);
    },
    [self](query_atom, const room_query& q) {
      return answer_settled<room_reply>(self, q);
    },
    [self](query_atom, const schedule_query& q) {
      return answer_settled<schedule_reply>(self, q);
    },
    [self](query_atom, const profile_query& q) {
      return answer_settled<profile_reply>(self, q);
    },
    [self](query_atom, const credentials_query& q) {
      return answer_settled<credentials_reply>(self, q);
    },
    [self](state_atom) {
      return when_settled<std::string>(
        self, [](aggregate_core<Aggregate>& core) {
          return nlohmann::json{{"seq", core.seq()}, {"state", core.state()}}
            .dump();
        });
    },
  };
}

} // namespace moim::actors
