#include "events/public_frame.hpp"

#include "events/catalogue/catalogue.hpp"

namespace moim::events {

namespace {

/// Fields no client ever sees, whatever the event.
constexpr const char* secret_fields[] = {"password_hash"};

nlohmann::json without_secrets(nlohmann::json payload) {
  if (payload.is_object())
    for (const char* field : secret_fields)
      payload.erase(field);
  return payload;
}

} // namespace

nlohmann::json public_payload(const event_envelope& e) {
  return without_secrets(e.payload);
}

nlohmann::json public_payload(const any_event& e) {
  nlohmann::json payload;
  std::visit(
    [&payload](const auto& x) {
      payload = x;
    },
    e);
  return without_secrets(std::move(payload));
}

std::string room_event_frame(const event_envelope& e) {
  using nlohmann::json;
  return json{{"type", "event"},
              {"room", e.aggregate.value()},
              {"seq", e.seq.value()},
              {"event", e.type},
              {"payload", public_payload(e)}}
    .dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace moim::events
