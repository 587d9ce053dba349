#include "events/codec.hpp"

#include "events/catalogue/catalogue.hpp"
#include "events/upcasting/upcasters.hpp"

#include <functional>
#include <unordered_map>

namespace moim::events {

namespace {

using decoder = std::function<any_event(const nlohmann::json&)>;

template<class... Ts>
std::unordered_map<std::string, decoder> decoders_of(std::variant<Ts...>*) {
  return {{Ts::type, [](const nlohmann::json& j) {
             return any_event{j.get<Ts>()};
           }}...};
}

const std::unordered_map<std::string, decoder>& decoders() {
  static const auto table = decoders_of(static_cast<any_event*>(nullptr));
  return table;
}

} // namespace

event_envelope encode(const any_event& event, event_meta meta) {
  event_envelope e;
  e.id = std::move(meta.id);
  e.aggregate_type = kind_of(event);
  e.aggregate = std::move(meta.aggregate);
  e.seq = meta.seq;
  e.type = type_of(event);
  e.version = current_versions().at(e.type);
  e.occurred_at = meta.occurred_at;
  e.correlation = std::move(meta.correlation);
  e.causation = std::move(meta.causation);
  e.idempotency = std::move(meta.idempotency);
  std::visit(
    [&e](const auto& x) {
      e.payload = x;
    },
    event);
  return e;
}

expected<std::vector<decoded_event>, decode_error>
decode(const event_envelope& stored) {
  auto current = upcast(stored);
  if (!current)
    return current.err();
  std::vector<decoded_event> out;
  for (auto& envelope : *current) {
    auto found = decoders().find(envelope.type);
    if (found == decoders().end())
      return decode_error{
        decode_errc::unknown_type, "no event type '" + envelope.type + "'", {}};
    try {
      auto typed = found->second(envelope.payload);
      out.push_back({std::move(envelope), std::move(typed)});
    } catch (const nlohmann::json::exception& e) {
      return decode_error{decode_errc::bad_payload,
                          "the payload of '" + envelope.type + "' v"
                            + std::to_string(envelope.version)
                            + " does not fit: " + e.what(),
                          {}};
    }
  }
  return out;
}

} // namespace moim::events
