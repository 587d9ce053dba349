#include "actors/port.hpp"

#include "events/catalogue/catalogue.hpp"

namespace moim::actors {

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

nlohmann::json public_payload(const events::event_envelope& e) {
  return without_secrets(e.payload);
}

nlohmann::json public_payload(const events::any_event& e) {
  nlohmann::json payload;
  std::visit(
    [&payload](const auto& x) {
      payload = x;
    },
    e);
  return without_secrets(std::move(payload));
}

} // namespace moim::actors
