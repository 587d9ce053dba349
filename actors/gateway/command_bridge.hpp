#pragma once

#include "actors/hosting/write_side.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace moim::actors {

/// Lets code outside actors (HTTP handlers on I/O threads) send commands and
/// read state without blocking: each call is one short-lived actor that
/// awaits the reply and hands it to `done` (on a CAF thread).
class command_bridge {
public:
  command_bridge(caf::actor_system& sys, const write_side& ws,
                 std::chrono::milliseconds timeout = std::chrono::seconds{10});

  void send(command_envelope cmd, std::function<void(command_reply)> done);

  /// {"seq":..,"state":..} of an aggregate ("state":null when it has none),
  /// or an error text.
  void read(events::aggregate_kind kind, const std::string& id,
            std::function<void(events::expected<std::string, rejection>)> done);

private:
  caf::actor_system& sys_;
  const write_side& ws_;
  std::chrono::milliseconds timeout_;
};

} // namespace moim::actors
