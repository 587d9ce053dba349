#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace moim::events {

/// Appends `s` as a JSON string literal, quotes included, exactly as
/// nlohmann's dump (invalid UTF-8 replaced) would write it. Frames that go
/// out once per message are written with these instead of building a JSON
/// tree and dumping it: the tree's nodes were most of their cost.
void append_json_string(std::string& out, std::string_view s);

/// Appends `"key":` (a key we write, never a client's: not escaped).
inline void append_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

inline void append_number(std::string& out, std::uint64_t n) {
  out += std::to_string(n);
}

} // namespace moim::events
