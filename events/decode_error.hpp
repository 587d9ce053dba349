#pragma once

#include <string>

namespace moim::events {

/// Why a stored record could not be turned into an event.
enum class decode_errc {
  /// A required metadata header is absent.
  missing_header,
  /// A header is present but its value is not valid (e.g. seq is not a number).
  bad_header,
  /// The payload is not JSON.
  malformed_json,
  /// No event of that type was ever defined.
  unknown_type,
  /// The type is known, the version is not (newer than this build, or never).
  unknown_version,
  /// The payload is JSON but lacks a field or has one of the wrong type.
  bad_payload,
};

[[nodiscard]] const char* to_string(decode_errc code);

/// A decoding failure: what was wrong; the log reader adds where (topic,
/// partition, offset) in `where`.
struct decode_error {
  decode_errc code;
  std::string message;
  std::string where;

  /// "unknown_type: no event type 'room.exploded' (at moim.rooms/3@42)"
  [[nodiscard]] std::string text() const;
};

} // namespace moim::events
