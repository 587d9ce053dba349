#pragma once

#include "actors/write_side.hpp"
#include "tools/moim-bench/latency.hpp"

#include <caf/actor_system.hpp>

#include <functional>
#include <vector>

namespace moim::bench {

struct drive_result {
  double seconds = 0;
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  latency_recorder latency; ///< request to reply
};

/// Sends `count` commands made by `make(i)` through the write side with at
/// most `in_flight` outstanding, and waits for every reply.
[[nodiscard]] drive_result
drive(caf::actor_system& sys, const actors::write_side& ws, std::size_t count,
      std::size_t in_flight,
      std::function<actors::command_envelope(std::size_t)> make);

} // namespace moim::bench
