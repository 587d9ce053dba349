#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace moim::projections {

/// Where the search read model lives: `<prefix>rooms` and
/// `<prefix>messages` are aliases of the indices `<prefix>rooms-v1` and
/// `<prefix>messages-v1` (a rebuild into -v2 switches an alias atomically),
/// and `<prefix>projection-offsets` holds the checkpoints.
struct search_layout {
  std::string url;              ///< http://host:port
  std::string prefix = "moim-"; ///< of every index and template
  /// Synonym rules, Solr style ("meetup, gathering, 모임"; "ny => new york"),
  /// applied when a document is indexed, so fuzzy queries and synonyms
  /// work together (a query-time synonym filter cannot take fuzziness).
  std::vector<std::string> synonyms;
  std::chrono::milliseconds timeout{5000};

  [[nodiscard]] std::string rooms() const {
    return prefix + "rooms";
  }
  [[nodiscard]] std::string messages() const {
    return prefix + "messages";
  }
  [[nodiscard]] std::string offsets() const {
    return prefix + "projection-offsets";
  }
};

/// Puts the index templates (explicit mappings, "dynamic": "strict", so no
/// document can add a field) and creates each index behind its alias when
/// it is missing; nothing when all is in place. Idempotent; a template whose
/// synonyms changed applies to the next index version (-v2), not to the one in
/// use.
[[nodiscard]] std::optional<infra::error>
ensure_search_indices(const search_layout& l);

/// The synonym rules in `path`: one rule a line; blank lines and lines
/// starting with '#' are skipped. An error names the file.
[[nodiscard]] infra::result<std::vector<std::string>>
load_synonyms(const std::string& path);

} // namespace moim::projections
