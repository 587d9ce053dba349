#include "events/json_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace moim::events {

void append_json_string(std::string& out, std::string_view s) {
  // Printable ASCII without a quote or a backslash is its own literal;
  // anything else (escapes, UTF-8, invalid bytes) is nlohmann's to write.
  bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
  if (!plain) {
    out += nlohmann::json(std::string{s})
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

} // namespace moim::events
