#pragma once

#include "events/catalogue/any_event.hpp"
#include "events/envelope.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace moim::events {

/// An event's payload as it may leave the server: secrets (the password
/// hash of user.registered) removed. The one place that rule lives.
[[nodiscard]] nlohmann::json public_payload(const event_envelope& e);
[[nodiscard]] nlohmann::json public_payload(const any_event& e);

/// The frame a room's event reaches clients as, live over WebSocket and
/// when a reconnecting client is caught up from the stored history:
/// {"type":"event","room","seq","event","payload"}. One definition, so a
/// recovered frame is byte for byte the one sent live.
[[nodiscard]] std::string room_event_frame(const event_envelope& e);

} // namespace moim::events
