#include "events/envelope.hpp"

#include <charconv>
#include <map>

namespace moim::events {

namespace {

constexpr const char* h_id = "moim-id";
constexpr const char* h_aggregate_type = "moim-aggregate-type";
constexpr const char* h_seq = "moim-seq";
constexpr const char* h_type = "moim-type";
constexpr const char* h_version = "moim-version";
constexpr const char* h_occurred_at = "moim-occurred-at";
constexpr const char* h_correlation = "moim-correlation-id";
constexpr const char* h_causation = "moim-causation-id";
constexpr const char* h_idempotency = "moim-idempotency-key";

template<class Int>
bool parse_number(const std::string& text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

decode_error header_error(decode_errc code, const std::string& message) {
  return {code, message, {}};
}

} // namespace

timestamp now_ms() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
    std::chrono::system_clock::now());
}

header_list to_headers(const event_envelope& e) {
  header_list out{
    {h_id, e.id.value()},
    {h_aggregate_type, std::string{to_string(e.aggregate_type)}},
    {h_seq, std::to_string(e.seq.value())},
    {h_type, e.type},
    {h_version, std::to_string(e.version)},
    {h_occurred_at, std::to_string(e.occurred_at.time_since_epoch().count())},
  };
  if (!e.correlation.value().empty())
    out.emplace_back(h_correlation, e.correlation.value());
  if (!e.causation.value().empty())
    out.emplace_back(h_causation, e.causation.value());
  if (!e.idempotency.value().empty())
    out.emplace_back(h_idempotency, e.idempotency.value());
  return out;
}

namespace {

/// The metadata of an envelope from its headers; the payload is set by the
/// caller.
expected<event_envelope, decode_error>
metadata_from_headers(const header_list& headers,
                      const std::string& aggregate_key) {
  std::map<std::string, std::string> h(headers.begin(), headers.end());
  for (auto required :
       {h_id, h_aggregate_type, h_seq, h_type, h_version, h_occurred_at})
    if (h.count(required) == 0)
      return header_error(decode_errc::missing_header,
                          std::string{"header '"} + required + "' is missing");
  event_envelope e;
  e.id = event_id{h[h_id]};
  auto kind = parse_aggregate_kind(h[h_aggregate_type]);
  if (!kind)
    return header_error(decode_errc::bad_header,
                        "unknown aggregate type '" + h[h_aggregate_type] + "'");
  e.aggregate_type = *kind;
  if (aggregate_key.empty())
    return header_error(decode_errc::missing_header,
                        "the record has no key (aggregate id)");
  e.aggregate = aggregate_id{aggregate_key};
  std::uint64_t seq = 0;
  if (!parse_number(h[h_seq], seq))
    return header_error(decode_errc::bad_header,
                        "moim-seq '" + h[h_seq] + "' is not a number");
  e.seq = aggregate_seq{seq};
  e.type = h[h_type];
  if (!parse_number(h[h_version], e.version) || e.version < 1)
    return header_error(decode_errc::bad_header,
                        "moim-version '" + h[h_version]
                          + "' is not a positive number");
  std::int64_t at = 0;
  if (!parse_number(h[h_occurred_at], at))
    return header_error(decode_errc::bad_header, "moim-occurred-at '"
                                                   + h[h_occurred_at]
                                                   + "' is not a number");
  e.occurred_at = timestamp{std::chrono::milliseconds{at}};
  e.correlation = correlation_id{h[h_correlation]};
  e.causation = causation_id{h[h_causation]};
  e.idempotency = idempotency_key{h[h_idempotency]};
  return e;
}

} // namespace

expected<event_envelope, decode_error>
from_headers(const header_list& headers, const std::string& aggregate_key,
             const std::string& payload) {
  auto e = metadata_from_headers(headers, aggregate_key);
  if (!e)
    return e;
  e->payload = nlohmann::json::parse(payload, nullptr, false);
  if (e->payload.is_discarded())
    return header_error(decode_errc::malformed_json,
                        "the payload of a '" + e->type + "' is not valid JSON");
  return e;
}

std::string to_record_json(const event_envelope& event) {
  nlohmann::json headers = nlohmann::json::object();
  for (auto& [name, value] : to_headers(event))
    headers[name] = value;
  nlohmann::json doc{{"key", event.aggregate.value()},
                     {"headers", std::move(headers)},
                     {"payload", event.payload}};
  return doc.dump();
}

expected<event_envelope, decode_error>
from_record_json(const std::string& text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return header_error(decode_errc::malformed_json,
                        "the record is not a JSON object");
  if (!doc.contains("headers") || !doc["headers"].is_object()
      || !doc.contains("key") || !doc["key"].is_string()
      || !doc.contains("payload"))
    return header_error(decode_errc::missing_header,
                        "the record lacks key, headers or payload");
  header_list headers;
  for (auto& [name, value] : doc["headers"].items()) {
    if (!value.is_string())
      return header_error(decode_errc::bad_header,
                          "header '" + name + "' is not a string");
    headers.emplace_back(name, value.get<std::string>());
  }
  auto e = metadata_from_headers(headers, doc["key"].get<std::string>());
  if (e)
    e->payload = std::move(doc["payload"]);
  return e;
}

} // namespace moim::events
