#pragma once

#include "events/aggregate_kind.hpp"
#include "events/decode_error.hpp"
#include "events/expected.hpp"
#include "events/ids.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace moim::events {

using timestamp = std::chrono::time_point<std::chrono::system_clock,
                                          std::chrono::milliseconds>;

/// One stored event: metadata plus a JSON payload. On Kafka the record key
/// is the aggregate id, the metadata travels in headers (see to_headers)
/// and the value is the payload, so kcat shows events readably.
struct event_envelope {
  event_id id;
  aggregate_kind aggregate_type = aggregate_kind::user;
  aggregate_id aggregate;
  aggregate_seq seq;
  std::string type; ///< e.g. "room.message_posted"
  int version = 1;  ///< the payload's schema version
  timestamp occurred_at;
  correlation_id correlation; ///< e.g. the saga this event belongs to
  causation_id causation;     ///< the command or event that caused it
  idempotency_key idempotency;
  nlohmann::json payload = nlohmann::json::object();
};

using header_list = std::vector<std::pair<std::string, std::string>>;

/// The metadata as record headers (moim-id, moim-type, ...). Empty optional
/// fields are left out.
[[nodiscard]] header_list to_headers(const event_envelope& event);

/// Rebuilds an envelope from headers and the payload text. Errors name the
/// header or the JSON problem; the caller adds where the record was.
[[nodiscard]] expected<event_envelope, decode_error>
from_headers(const header_list& headers, const std::string& aggregate_key,
             const std::string& payload);

/// One self-contained JSON document: {"key":..,"headers":{..},"payload":{..}}.
/// The embedded log stores this, and golden files are written in it.
[[nodiscard]] std::string to_record_json(const event_envelope& event);

[[nodiscard]] expected<event_envelope, decode_error>
from_record_json(const std::string& text);

/// The current time in whole milliseconds.
[[nodiscard]] timestamp now_ms();

} // namespace moim::events
