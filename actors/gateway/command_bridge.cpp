#include "actors/gateway/command_bridge.hpp"

#include <caf/all.hpp>

namespace moim::actors {

command_bridge::command_bridge(caf::actor_system& sys, const write_side& ws,
                               std::chrono::milliseconds timeout)
  : sys_(sys), ws_(ws), timeout_(timeout) {
  // nop
}

void command_bridge::send(command_envelope cmd,
                          std::function<void(command_reply)> done) {
  auto host = ws_.route(cmd.kind, cmd.aggregate);
  if (!host) {
    done(host.err());
    return;
  }
  sys_.spawn([host = *host, cmd = std::move(cmd), done = std::move(done),
              timeout = timeout_](caf::event_based_actor* self) {
    self->request(host, timeout, command_atom::value, cmd)
      .then(
        [self, done](command_reply& r) {
          done(std::move(r));
          self->quit();
        },
        [self, done](caf::error& err) {
          done(
            rejection{rejection_code::unavailable,
                      "the write side did not answer: " + caf::to_string(err)});
          self->quit();
        });
  });
}

void command_bridge::read(
  events::aggregate_kind kind, const std::string& id,
  std::function<void(events::expected<std::string, rejection>)> done) {
  auto host = ws_.route(kind, id);
  if (!host) {
    done(host.err());
    return;
  }
  sys_.spawn([host = *host, id, done = std::move(done),
              timeout = timeout_](caf::event_based_actor* self) {
    self->request(host, timeout, state_atom::value, id)
      .then(
        [self, done](std::string& state) {
          done(events::expected<std::string, rejection>{std::move(state)});
          self->quit();
        },
        [self, done](caf::error& err) {
          done(
            rejection{rejection_code::unavailable,
                      "the write side did not answer: " + caf::to_string(err)});
          self->quit();
        });
  });
}

} // namespace moim::actors
