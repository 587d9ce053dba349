#pragma once

#include "actors/hosting/messages.hpp"
#include "events/catalogue/catalogue.hpp"
#include "events/codec.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace moim::actors {

/// How long and how many idempotency keys an aggregate remembers.
struct idempotency_limits {
  std::size_t max_keys = 1000;
  std::chrono::hours max_age{24};
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
    core.seq_ = snap.seq;
    for (const auto& [key, entry] : j.at("keys").items()) {
      core.keys_[key] = entry;
      core.order_.emplace_back(entry.value("at", std::int64_t{0}), key);
    }
    std::sort(core.order_.begin(), core.order_.end());
    return core;
  }

  [[nodiscard]] infra::aggregate_snapshot snapshot() const {
    nlohmann::json keys = nlohmann::json::object();
    for (const auto& [key, entry] : keys_)
      keys[key] = entry;
    return {id_, seq_,
            nlohmann::json{{"state", state_}, {"keys", keys}}.dump()};
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
    seq_ = stored.seq.value();
    if (!stored.idempotency.value().empty())
      remember(stored.idempotency.value(), stored.seq.value(),
               stored.occurred_at, event);
  }

  /// The outcome of deciding a batch: a reply for every command (accepted
  /// ones are completed once the log took `appends`), and the state as it
  /// will be after the append.
  struct plan {
    std::vector<command_reply> replies;
    std::vector<bool> accepted;
    std::vector<events::event_envelope> appends;
    aggregate_core after;
  };

  /// Decides `commands` in order, each against the state the earlier ones
  /// leave. Repeated idempotency keys get their original result.
  [[nodiscard]] plan
  decide(const std::vector<command_envelope>& commands) const {
    plan p{{}, {}, {}, *this};
    for (const auto& c : commands) {
      if (!c.idempotency_key.empty()) {
        if (auto earlier = p.after.recall(c.idempotency_key)) {
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
      auto decided = Aggregate::decide(p.after.state_, id_, *cmd);
      if (!decided) {
        p.replies.emplace_back(decided.err());
        p.accepted.push_back(false);
        continue;
      }
      command_result result;
      result.first_seq = p.after.seq_ + 1;
      auto now = events::now_ms();
      for (auto& event : *decided) {
        ++p.after.seq_;
        Aggregate::apply(p.after.state_, event);
        p.appends.push_back(
          events::encode(event, {events::aggregate_id{id_},
                                 events::aggregate_seq{p.after.seq_},
                                 events::correlation_id{c.correlation},
                                 events::causation_id{c.causation},
                                 events::idempotency_key{c.idempotency_key},
                                 events::new_event_id(), now}));
        if (!c.idempotency_key.empty())
          p.after.remember(c.idempotency_key, p.after.seq_, now, event);
      }
      result.last_seq = p.after.seq_;
      result.events = std::move(*decided);
      p.replies.emplace_back(std::move(result));
      p.accepted.push_back(true);
    }
    return p;
  }

private:
  /// key -> {"first", "last", "at", "events": [{"type","version","payload"}]}
  void remember(const std::string& key, std::uint64_t seq, events::timestamp at,
                const events::any_event& event) {
    auto at_ms = static_cast<std::int64_t>(at.time_since_epoch().count());
    auto [it, fresh] = keys_.try_emplace(key);
    auto& entry = it->second;
    if (fresh) {
      entry = {{"first", seq}, {"events", nlohmann::json::array()}};
      order_.emplace_back(at_ms, key);
    }
    entry["last"] = seq;
    entry["at"] = at_ms;
    nlohmann::json payload;
    std::visit(
      [&payload](const auto& e) {
        payload = e;
      },
      event);
    entry["events"].push_back(
      {{"type", events::type_of(event)}, {"payload", std::move(payload)}});
    prune(at);
  }

  std::optional<command_reply> recall(const std::string& key) const {
    auto found = keys_.find(key);
    if (found == keys_.end())
      return std::nullopt;
    command_result result;
    result.first_seq = found->second.at("first").get<std::uint64_t>();
    result.last_seq = found->second.at("last").get<std::uint64_t>();
    result.duplicate = true;
    for (const auto& e : found->second.at("events")) {
      events::event_envelope env;
      env.type = e.at("type").get<std::string>();
      env.version = events::current_versions().at(env.type);
      env.payload = e.at("payload");
      env.aggregate = events::aggregate_id{id_};
      auto decoded = events::decode(env);
      if (decoded)
        for (auto& d : *decoded)
          result.events.push_back(std::move(d.event));
    }
    return command_reply{std::move(result)};
  }

  /// Forgets the oldest keys beyond the limits: amortized O(1) per key, as
  /// keys are remembered in time order.
  void prune(events::timestamp now) {
    auto horizon = static_cast<std::int64_t>(
      (now - limits_.max_age).time_since_epoch().count());
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
  std::map<std::string, nlohmann::json> keys_;
  std::deque<std::pair<std::int64_t, std::string>> order_; ///< oldest first
  idempotency_limits limits_;
};

} // namespace moim::actors
