#include "gateway/command_bridge.hpp"

#include <caf/all.hpp>

namespace moim::gateway {

using namespace moim::actors;

command_bridge::command_bridge(caf::actor_system& sys, const write_side& ws,
                               std::chrono::milliseconds timeout)
  : sys_(sys), ws_(ws), timeout_(timeout) {
  // nop
}

rejection command_bridge::unanswered(const caf::error& err) {
  return rejection{rejection_code::unavailable,
                   "the write side did not answer: " + caf::to_string(err)};
}

void command_bridge::send(command_envelope cmd,
                          std::function<void(command_reply)> done) {
  auto port = ws_.route(cmd.kind, cmd.aggregate.value());
  if (!port) {
    done(port.err());
    return;
  }
  sys_.spawn([port = *port, timeout = timeout_, cmd = std::move(cmd),
              done = std::move(done)](caf::event_based_actor* self) mutable {
    self->request(port, timeout, command_atom::value, std::move(cmd))
      .then(
        [self, done](command_reply& r) {
          done(std::move(r));
          self->quit();
        },
        [self, done](caf::error& err) {
          done(command_reply{unanswered(err)});
          self->quit();
        });
  });
}

} // namespace moim::gateway
