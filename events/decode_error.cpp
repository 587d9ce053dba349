#include "events/decode_error.hpp"

namespace moim::events {

const char* to_string(decode_errc code) {
  switch (code) {
    case decode_errc::missing_header: return "missing_header";
    case decode_errc::bad_header: return "bad_header";
    case decode_errc::malformed_json: return "malformed_json";
    case decode_errc::unknown_type: return "unknown_type";
    case decode_errc::unknown_version: return "unknown_version";
    case decode_errc::bad_payload: return "bad_payload";
  }
  return "unknown";
}

std::string decode_error::text() const {
  auto out = std::string{to_string(code)} + ": " + message;
  if (!where.empty())
    out += " (at " + where + ")";
  return out;
}

} // namespace moim::events
