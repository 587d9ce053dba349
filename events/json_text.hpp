#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace moim::events {

/// Appends `s` as a JSON string literal, quotes included, exactly as
/// nlohmann's dump (invalid UTF-8 replaced) would write it. Frames that go
/// out once per message are written with these instead of building a JSON
/// tree and dumping it: the tree's nodes were most of their cost.
void append_json_string(std::string& out, std::string_view s);

/// Writes one flat JSON object field by field, in the order given (give
/// them in nlohmann's order, sorted by key, for the bytes of a dump). Keys
/// are ours, never a client's: written as they are.
class json_object_writer {
public:
  explicit json_object_writer(std::size_t reserve = 0) {
    out_.reserve(reserve + 2);
    out_ += '{';
  }

  json_object_writer& text(std::string_view key, std::string_view value) {
    append_json_string(start(key), value);
    return *this;
  }

  json_object_writer& number(std::string_view key, std::uint64_t value) {
    start(key) += std::to_string(value);
    return *this;
  }

  /// `json` is already JSON text (a dumped value).
  json_object_writer& raw(std::string_view key, std::string_view json) {
    start(key) += json;
    return *this;
  }

  /// The object, closed; the writer is spent.
  std::string done() {
    out_ += '}';
    return std::move(out_);
  }

private:
  std::string& start(std::string_view key) {
    if (out_.size() > 1)
      out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
    return out_;
  }

  std::string out_;
};

} // namespace moim::events
