#pragma once

#include "projections/search/search_schema.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace moim::projections {

struct room_hit {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::int64_t member_count = 0;
  double score = 0;
};

struct message_hit {
  std::uint64_t seq = 0;
  std::string author;
  std::string text;
  std::int64_t posted_at_ms = 0;
  double score = 0;
};

struct room_search {
  std::string text;              ///< may be empty when tags are given
  std::vector<std::string> tags; ///< every one must be on the room
  std::size_t limit = 20;
};

/// Queries on the search read model. Every word of the text must match
/// (fuzzily: edit distance by length, OpenSearch's AUTO), synonyms
/// included, as they were expanded at index time. Thread-safe (a request per
/// call); blocking.
class search_read_model {
public:
  explicit search_read_model(search_layout layout);

  /// Public, open, non-direct rooms matching the text (name first, then
  /// tags, then the description) and carrying every tag.
  [[nodiscard]] infra::result<std::vector<room_hit>>
  rooms(const room_search& q) const;

  /// A room's messages matching `text`, best first (deleted ones never).
  [[nodiscard]] infra::result<std::vector<message_hit>>
  messages(const std::string& room, const std::string& text,
           std::size_t limit) const;

private:
  search_layout layout_;
};

} // namespace moim::projections
