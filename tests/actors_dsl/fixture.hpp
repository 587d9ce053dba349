#pragma once

// What the deterministic actor tests share: CAF's test coordinator (every
// message is delivered when the test says so, timers only when the test
// advances them), subscribers and listeners that record what they get, and
// committed batches made from typed events.

#include "actors/committed.hpp"
#include "events/codec.hpp"
#include "gateway/connection.hpp"

#include <caf/test/dsl.hpp>

#include <memory>
#include <string>
#include <vector>

namespace moim::test {

/// What a recording connection actor got, in order: "push <frame>",
/// "dropped <room> <why>", "notice <id> <frame>".
using record = std::shared_ptr<std::vector<std::string>>;

/// A room subscriber and notice listener (a WebSocket connection's
/// interface) that only writes down what it is sent.
inline gateway::connection_actor::behavior_type
recorder(gateway::connection_actor::pointer, record out) {
  return {
    [out](gateway::push_atom, const std::string& frame) {
      out->push_back("push " + frame);
    },
    [out](gateway::dropped_atom, const std::string& room,
          const std::string& why) {
      out->push_back("dropped " + room + " " + why);
    },
    [out](gateway::notice_atom, const std::string& id,
          const std::string& frame) {
      out->push_back("notice " + id + " " + frame);
    },
  };
}

/// One committed batch of `aggregate` holding `events` at seqs from
/// `first_seq` on.
inline actors::committed_ptr batch(events::aggregate_kind kind,
                                   const std::string& aggregate,
                                   std::uint64_t first_seq,
                                   const std::vector<events::any_event>& evs) {
  auto b = std::make_shared<actors::committed_batch>();
  b->kind = kind;
  b->aggregate = events::aggregate_id{aggregate};
  auto seq = first_seq;
  for (const auto& e : evs) {
    events::event_meta meta;
    meta.aggregate = events::aggregate_id{aggregate};
    meta.seq = events::aggregate_seq{seq++};
    b->events.push_back(events::encode(e, meta));
  }
  return b;
}

} // namespace moim::test
