#pragma once

#include "actors/write_side.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace moim::gateway {

/// Lets code outside actors (HTTP handlers on I/O threads) send commands and
/// typed queries without blocking: each call is one short-lived actor that
/// awaits the reply and hands it to `done` (on a CAF thread).
class command_bridge {
public:
  command_bridge(caf::actor_system& sys, const actors::write_side& ws,
                 std::chrono::milliseconds timeout = std::chrono::seconds{10});

  void send(actors::command_envelope cmd,
            std::function<void(actors::command_reply)> done);

  /// A typed query (actors/port.hpp) of the aggregate `id` of `kind`;
  /// Reply is its expected<view, rejection>.
  template<class Reply, class Query>
  void query(events::aggregate_kind kind, const std::string& id, Query q,
             std::function<void(Reply)> done) {
    auto port = ws_.route(kind, id);
    if (!port) {
      done(Reply{port.err()});
      return;
    }
    auto timeout = timeout_;
    sys_.spawn([port = *port, timeout, q = std::move(q),
                done = std::move(done)](caf::event_based_actor* self) {
      self->request(port, timeout, actors::query_atom::value, q)
        .then(
          [self, done](Reply& r) {
            done(std::move(r));
            self->quit();
          },
          [self, done](caf::error& err) {
            done(Reply{unanswered(err)});
            self->quit();
          });
    });
  }

  /// The rejection for a request the write side did not answer.
  [[nodiscard]] static actors::rejection unanswered(const caf::error& err);

private:
  caf::actor_system& sys_;
  const actors::write_side& ws_;
  std::chrono::milliseconds timeout_;
};

} // namespace moim::gateway
