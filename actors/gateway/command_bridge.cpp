#include "actors/gateway/command_bridge.hpp"

#include <caf/all.hpp>

namespace moim::actors {

command_bridge::command_bridge(caf::actor_system& sys, const write_side& ws,
                               std::chrono::milliseconds timeout)
  : sys_(sys), ws_(ws), timeout_(timeout) {
  // nop
}

namespace {

/// One short-lived actor that asks `host` and hands the answer (or why
/// there was none) to `done`.
template<class Result, class Reply, class Host, class... Ts>
void ask(caf::actor_system& sys, Host host, std::chrono::milliseconds timeout,
         std::function<void(Result)> done, Ts... request) {
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(host, timeout, request...)
      .then(
        [self, done](Reply& r) {
          done(Result{std::move(r)});
          self->quit();
        },
        [self, done](caf::error& err) {
          done(Result{rejection{rejection_code::unavailable,
                                "the write side did not answer: "
                                  + caf::to_string(err)}});
          self->quit();
        });
  });
}

} // namespace

void command_bridge::send(command_envelope cmd,
                          std::function<void(command_reply)> done) {
  auto host = ws_.route(cmd.kind, cmd.aggregate);
  if (!host) {
    done(host.err());
    return;
  }
  ask<command_reply, command_reply>(sys_, *host, timeout_, std::move(done),
                                    command_atom::value, std::move(cmd));
}

void command_bridge::read(
  events::aggregate_kind kind, const std::string& id,
  std::function<void(events::expected<std::string, rejection>)> done) {
  auto host = ws_.route(kind, id);
  if (!host) {
    done(host.err());
    return;
  }
  ask<events::expected<std::string, rejection>, std::string>(
    sys_, *host, timeout_, std::move(done), state_atom::value, id);
}

} // namespace moim::actors
