#pragma once

#include "events/catalogue/any_event.hpp"
#include "events/envelope.hpp"

#include <vector>

namespace moim::events {

/// The metadata of an event that is not in its payload.
struct event_meta {
  aggregate_id aggregate;
  aggregate_seq seq;
  correlation_id correlation;
  causation_id causation;
  idempotency_key idempotency;
  event_id id = new_event_id();
  timestamp occurred_at = now_ms();
};

/// A typed event in an envelope at the current schema version.
[[nodiscard]] event_envelope encode(const any_event& event, event_meta meta);

/// An envelope at its current version with its typed event.
struct decoded_event {
  event_envelope envelope;
  any_event event;
};

/// Upcasts a stored envelope to current versions (which may yield several
/// events, or none) and decodes each payload into its typed struct.
[[nodiscard]] expected<std::vector<decoded_event>, decode_error>
decode(const event_envelope& stored);

} // namespace moim::events
