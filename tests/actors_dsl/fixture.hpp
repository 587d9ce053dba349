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
#include <utility>
#include <vector>

namespace moim::test {

/// What a recording connection got, in order: "push <frame>" (written to
/// its sink), "dropped <room> <why>", "notice <id> <frame>" (sent to its
/// actor).
using record = std::shared_ptr<std::vector<std::string>>;

/// A connection's outbound side that writes down the frames it is given.
class recording_sink : public infra::websocket_connection {
public:
  explicit recording_sink(record out) : out_(std::move(out)) {
    // nop
  }

  using websocket_connection::send;

  bool send(infra::shared_frame text) override {
    out_->push_back("push " + *text);
    return true;
  }

  void close(int code, std::string reason) override {
    out_->push_back("close " + std::to_string(code) + " " + reason);
  }

private:
  record out_;
};

/// A room subscriber and notice listener (a WebSocket connection's
/// interface) that only writes down what it is sent.
inline gateway::connection_actor::behavior_type
recorder(gateway::connection_actor::pointer, record out) {
  return {
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

/// The test coordinator with what both suites do: make a recording
/// connection, and ask an actor and wait for the reply.
struct actor_fixture : test_coordinator_fixture<> {
  /// A recording connection actor and its record.
  std::pair<gateway::connection_actor, record> connection() {
    auto r = std::make_shared<std::vector<std::string>>();
    auto c = sys.spawn(recorder, r);
    run();
    return {c, r};
  }

  /// A recording room subscriber: its actor, its sink, and their record.
  struct recording_subscriber {
    gateway::connection_actor actor;
    gateway::frame_sink sink;
    record frames;
  };

  recording_subscriber subscriber() {
    auto [c, r] = connection();
    return {c, std::make_shared<recording_sink>(r), r};
  }

  /// Sends `xs` to `dest`, runs every actor, and returns the reply.
  template<class Reply, class Dest, class... Ts>
  Reply ask(const Dest& dest, Ts&&... xs) {
    Reply out;
    auto handle = self->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    run();
    handle.receive(
      [&](Reply& r) {
        out = std::move(r);
      },
      [](caf::error& err) {
        CAF_FAIL(to_string(err));
      });
    return out;
  }
};

} // namespace moim::test
