#pragma once

#include "actors/domain/rejection.hpp"
#include "events/catalogue/any_event.hpp"
#include "events/expected.hpp"

#include <vector>

namespace moim::actors {

/// What an aggregate decides for a command: the events to append (at least
/// one), or why not.
using decision = events::expected<std::vector<events::any_event>, rejection>;

inline decision reject(rejection_code code, std::string reason) {
  return rejection{code, std::move(reason)};
}

} // namespace moim::actors
