#pragma once

#include "events/decode_error.hpp"
#include "events/envelope.hpp"
#include "events/expected.hpp"

#include <functional>
#include <string>
#include <vector>

namespace moim::events {

/// Turns an envelope of `type` at `from_version` into envelopes one step
/// closer to current: the next version of the same type, several events,
/// or none at all (a retired type).
struct upcaster_entry {
  std::string type;
  int from_version;
  std::function<std::vector<event_envelope>(const event_envelope&)> step;
};

/// Every upcaster, oldest first. The schema history lives in upcasters.cpp.
[[nodiscard]] const std::vector<upcaster_entry>& upcasters();

/// Applies upcasters until every resulting envelope is at its type's current
/// version. Fails on a type or version that neither the catalogue nor an
/// upcaster knows.
[[nodiscard]] expected<std::vector<event_envelope>, decode_error>
upcast(event_envelope stored);

} // namespace moim::events
