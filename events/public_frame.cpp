#include "events/public_frame.hpp"

#include "events/catalogue/catalogue.hpp"
#include "events/json_text.hpp"

#include <algorithm>
#include <iterator>

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
  // Written field by field in the order nlohmann sorts an object's keys
  // (so the bytes are those of dumping the object), with the payload
  // dumped in place rather than copied without its secrets first.
  auto payload = [&e] {
    constexpr auto replace = nlohmann::json::error_handler_t::replace;
    bool secret = e.payload.is_object()
                  && std::any_of(std::begin(secret_fields),
                                 std::end(secret_fields), [&e](const char* f) {
                                   return e.payload.contains(f);
                                 });
    return secret ? public_payload(e).dump(-1, ' ', false, replace)
                  : e.payload.dump(-1, ' ', false, replace);
  }();
  return json_object_writer{payload.size() + e.type.size()
                            + e.aggregate.value().size() + 64}
    .text("event", e.type)
    .raw("payload", payload)
    .text("room", e.aggregate.value())
    .number("seq", e.seq.value())
    .text("type", "event")
    .done();
}

} // namespace moim::events
