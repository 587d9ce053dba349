#pragma once

#include "actors/hosting/messages.hpp"
#include "events/catalogue/catalogue.hpp"
#include "events/codec.hpp"
#include "events/vassert.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace moim::actors {

/// How long and how many idempotency keys an aggregate remembers.
struct idempotency_limits {
  std::size_t max_keys = 1000;
  std::chrono::hours max_age{24};
};

/// What an idempotency key stands for: the events its command made.
struct remembered_command {
  std::uint64_t first = 0; ///< sequence numbers of its events
  std::uint64_t last = 0;
  std::int64_t at = 0; ///< Unix ms of the first
  std::vector<events::any_event> events;
  /// Its snapshot JSON, made once: snapshots are taken often and keys
  /// rarely change ("" : not made yet).
  mutable std::string record;

  [[nodiscard]] const std::string& json_text() const {
    if (!record.empty())
      return record;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& event : events) {
      nlohmann::json payload;
      std::visit(
        [&payload](const auto& e) {
          payload = e;
        },
        event);
      list.push_back(
        {{"type", events::type_of(event)}, {"payload", std::move(payload)}});
    }
    record = nlohmann::json{{"first", first},
                            {"last", last},
                            {"at", at},
                            {"events", std::move(list)}}
               .dump();
    return record;
  }

  [[nodiscard]] command_reply reply() const {
    command_result result;
    result.first_seq = events::aggregate_seq{first};
    result.last_seq = events::aggregate_seq{last};
    result.duplicate = true;
    result.events = events;
    return command_reply{std::move(result)};
  }
};

/// An aggregate's state, sequence number and remembered idempotency keys,
/// without any actor: decides batches of commands and applies what the log
/// took. Used by the aggregate actor and by restore (replay from the log).
template<class Aggregate>
class aggregate_core {
public:
  using state_type = typename Aggregate::state_type;

  explicit aggregate_core(std::string id) : id_(std::move(id)) {
    // nop
  }

  /// Rebuilds from a snapshot written by snapshot().
  static aggregate_core from_snapshot(const infra::aggregate_snapshot& snap) {
    aggregate_core core{snap.id};
    auto j = nlohmann::json::parse(snap.data);
    core.state_ = j.at("state").get<state_type>();
    core.base_ = j.at("state").dump();
    core.seq_ = snap.seq;
    for (const auto& item : j.at("keys").items()) {
      const std::string key = item.key();
      const nlohmann::json& entry = item.value();
      auto& r = core.keys_[key];
      r.first = entry.at("first").get<std::uint64_t>();
      r.last = entry.at("last").get<std::uint64_t>();
      r.at = entry.value("at", std::int64_t{0});
      for (const nlohmann::json& e : entry.at("events")) {
        events::event_envelope env;
        env.type = e.at("type").get<std::string>();
        env.version = events::current_versions().at(env.type);
        env.payload = e.at("payload");
        env.aggregate = events::aggregate_id{snap.id};
        if (auto decoded = events::decode(env))
          for (auto& d : *decoded)
            r.events.push_back(std::move(d.event));
      }
      core.order_.emplace_back(r.at, key);
    }
    // Oldest first as they were remembered: by time, then by sequence
    // number (many keys share a millisecond), so that pruning drops the
    // same keys as a replay of the log would.
    std::sort(core.order_.begin(), core.order_.end(),
              [&keys = core.keys_](const auto& x, const auto& y) {
                return std::pair{x.first, keys.at(x.second).first}
                       < std::pair{y.first, keys.at(y.second).first};
              });
    return core;
  }

  /// {"state": ..., "keys": {key: {"first","last","at","events":
  /// [{"type","payload"}]}}} with the sequence number beside it. Also the
  /// new base that abort() returns to. Not while a batch is undecided
  /// (between decide() and commit() or abort()).
  [[nodiscard]] infra::aggregate_snapshot snapshot() {
    MOIM_VASSERT(in_flight_.empty(),
                 "%s: a snapshot with %zu batches in flight (ahead of the log)",
                 id_.c_str(), in_flight_.size());
    base_ = nlohmann::json(state_).dump();
    since_base_.clear();
    base_stale_ = false;
    // Written out by hand around the keys' cached JSON: a snapshot of an
    // aggregate with 1,000 keys would otherwise rebuild 1,000 JSON trees.
    std::string text = R"({"state":)" + base_ + R"(,"keys":{)";
    // Oldest first, as remembered: the same text for the same history.
    bool first = true;
    for (const auto& [at, key] : order_) {
      if (!first)
        text += ',';
      first = false;
      text += nlohmann::json(key).dump();
      text += ':';
      text += keys_.at(key).json_text();
    }
    text += "}}";
    return {id_, seq_, std::move(text)};
  }

  [[nodiscard]] const std::string& id() const noexcept {
    return id_;
  }
  [[nodiscard]] std::uint64_t seq() const noexcept {
    return seq_;
  }
  [[nodiscard]] const state_type& state() const noexcept {
    return state_;
  }

  /// Applies one event read from the log; events at or below the current
  /// sequence number are already reflected and skipped.
  void replay(const events::event_envelope& stored,
              const events::any_event& event) {
    if (stored.seq.value() <= seq_)
      return;
    Aggregate::apply(state_, event);
    base_stale_ = true; // replayed cores snapshot before they decide
    seq_ = stored.seq.value();
    if (!stored.idempotency.value().empty())
      remember(stored.idempotency.value(), stored.seq.value(),
               static_cast<std::int64_t>(
                 stored.occurred_at.time_since_epoch().count()),
               event);
  }

  /// The outcome of deciding a batch: a reply for every command (accepted
  /// ones are completed once the log took `appends`), the events to
  /// append, and the sequence number after them.
  struct plan {
    std::vector<command_reply> replies;
    std::vector<bool> accepted;
    std::vector<events::event_envelope> appends;
    std::uint64_t seq = 0;
  };

  /// Decides `commands` in order on the live state, each against what the
  /// earlier ones leave, and after the batches still in flight: their
  /// events are applied at once, so nothing is copied. A plan with appends
  /// is in flight until commit() or abort(); meanwhile the live state is
  /// ahead of the log, so the caller answers no query and takes no
  /// snapshot. Repeated idempotency keys get their original result.
  [[nodiscard]] plan decide(const std::vector<command_envelope>& commands) {
    if (base_stale_)
      static_cast<void>(snapshot()); // a base for abort() first
    plan p{{}, {}, {}, live_seq()};
    batch b;
    for (const auto& c : commands) {
      const auto& key = c.idempotency.value();
      if (!key.empty()) {
        if (auto earlier = recall(key)) {
          p.replies.emplace_back(std::move(*earlier));
          p.accepted.push_back(false);
          continue;
        }
      }
      const auto* cmd
        = std::get_if<typename Aggregate::command_type>(&c.command);
      if (cmd == nullptr) {
        p.replies.emplace_back(rejection{rejection_code::invalid,
                                         "not a command for this aggregate"});
        p.accepted.push_back(false);
        continue;
      }
      auto decided = Aggregate::decide(state_, id_, *cmd);
      if (!decided) {
        p.replies.emplace_back(decided.err());
        p.accepted.push_back(false);
        continue;
      }
      command_result result;
      result.first_seq = events::aggregate_seq{p.seq + 1};
      auto now = events::now_ms();
      for (auto& event : *decided) {
        ++p.seq;
        Aggregate::apply(state_, event);
        b.applied.push_back(event);
        p.appends.push_back(events::encode(
          event, {events::aggregate_id{id_}, events::aggregate_seq{p.seq},
                  c.correlation, c.causation, c.idempotency,
                  events::new_event_id(), now}));
      }
      result.last_seq = events::aggregate_seq{p.seq};
      if (!key.empty()) {
        undecided_keys_.emplace(
          key, remembered_command{
                 result.first_seq.value(),
                 result.last_seq.value(),
                 static_cast<std::int64_t>(now.time_since_epoch().count()),
                 *decided,
                 {}});
        b.new_keys.push_back(key);
      }
      result.events = std::move(*decided);
      p.replies.emplace_back(std::move(result));
      p.accepted.push_back(true);
    }
    if (!p.appends.empty()) {
      b.seq = p.seq;
      in_flight_.push_back(std::move(b));
    } else {
      for (const auto& key : b.new_keys) // nothing to commit
        undecided_keys_.erase(key);
    }
    return p;
  }

  /// Batches decided and not yet committed or aborted.
  [[nodiscard]] std::size_t in_flight() const noexcept {
    return in_flight_.size();
  }

  /// The newest batch in flight becomes part of the one before it (the
  /// log took its events into that batch's append): they commit or abort
  /// as one.
  void merge_last() {
    MOIM_VASSERT(in_flight_.size() >= 2,
                 "%s: merging %zu batches in flight, not two or more",
                 id_.c_str(), in_flight_.size());
    auto last = std::move(in_flight_.back());
    in_flight_.pop_back();
    auto& into = in_flight_.back();
    into.seq = last.seq;
    into.applied.insert(into.applied.end(),
                        std::make_move_iterator(last.applied.begin()),
                        std::make_move_iterator(last.applied.end()));
    into.new_keys.insert(into.new_keys.end(),
                         std::make_move_iterator(last.new_keys.begin()),
                         std::make_move_iterator(last.new_keys.end()));
  }

  /// The log took the oldest batch in flight.
  void commit() {
    MOIM_VASSERT(!in_flight_.empty(), "%s: a commit with no batch in flight",
                 id_.c_str());
    auto& b = in_flight_.front();
    seq_ = b.seq;
    for (auto& event : b.applied)
      since_base_.push_back(std::move(event));
    for (auto& key : b.new_keys) {
      auto found = undecided_keys_.find(key);
      auto at = found->second.at;
      order_.emplace_back(at, key);
      keys_[key] = std::move(found->second);
      undecided_keys_.erase(found);
      prune(at);
    }
    in_flight_.pop_front();
  }

  /// The log did not take the oldest batch in flight, so none of the
  /// batches decided after it count either: back to the state the log
  /// holds, which is the base (the state at the last snapshot) with the
  /// batches committed since. Rare; it parses the base once.
  void abort() {
    in_flight_.clear();
    undecided_keys_.clear();
    state_ = base_.empty() ? state_type{}
                           : nlohmann::json::parse(base_).get<state_type>();
    for (const auto& event : since_base_)
      Aggregate::apply(state_, event);
  }

  /// Events committed since the last snapshot (what abort() replays).
  [[nodiscard]] std::size_t events_since_snapshot() const noexcept {
    return since_base_.size();
  }

private:
  void remember(const std::string& key, std::uint64_t seq, std::int64_t at_ms,
                const events::any_event& event) {
    auto [it, fresh] = keys_.try_emplace(key);
    auto& r = it->second;
    if (fresh) {
      r.first = seq;
      r.at = at_ms;
      order_.emplace_back(at_ms, key);
    }
    r.last = seq;
    r.events.push_back(event);
    r.record.clear();
    prune(at_ms);
  }

  /// A decided batch the log has not taken yet: what commit() keeps of it.
  struct batch {
    std::uint64_t seq = 0;
    std::vector<events::any_event> applied;
    std::vector<std::string> new_keys; ///< in undecided_keys_
  };

  /// The sequence number after the batches in flight.
  [[nodiscard]] std::uint64_t live_seq() const noexcept {
    return in_flight_.empty() ? seq_ : in_flight_.back().seq;
  }

  /// The reply of an earlier command with `key`: in the batch being
  /// decided or one in flight, or remembered.
  std::optional<command_reply> recall(const std::string& key) const {
    if (auto undecided = undecided_keys_.find(key);
        undecided != undecided_keys_.end())
      return undecided->second.reply();
    auto found = keys_.find(key);
    if (found == keys_.end())
      return std::nullopt;
    return found->second.reply();
  }

  /// Forgets the oldest keys beyond the limits: amortized O(1) per key, as
  /// keys are remembered in time order.
  void prune(std::int64_t now_ms) {
    auto horizon
      = now_ms
        - std::chrono::duration_cast<std::chrono::milliseconds>(limits_.max_age)
            .count();
    while (
      !order_.empty()
      && (keys_.size() > limits_.max_keys || order_.front().first < horizon)) {
      keys_.erase(order_.front().second);
      order_.pop_front();
    }
  }

  std::string id_;
  state_type state_{};
  std::uint64_t seq_ = 0;
  /// The state's JSON at the last snapshot ("": the initial state), the
  /// events committed since, and whether replay() moved past both.
  std::string base_;
  std::vector<events::any_event> since_base_;
  bool base_stale_ = false;
  std::unordered_map<std::string, remembered_command> keys_;
  std::deque<std::pair<std::int64_t, std::string>> order_; ///< oldest first
  idempotency_limits limits_;
  std::deque<batch> in_flight_; ///< oldest first
  /// Keys of the batches decided and not committed yet.
  std::unordered_map<std::string, remembered_command> undecided_keys_;
};

} // namespace moim::actors
