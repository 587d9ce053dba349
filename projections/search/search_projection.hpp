#pragma once

#include "projections/projection.hpp"
#include "projections/search/search_schema.hpp"

#include <string>
#include <vector>

namespace moim::projections {

struct search_projection_options {
  search_layout layout;
  std::string name = "search"; ///< its checkpoints' and group's name
  /// The topics it reads; empty: Moim's rooms.
  std::vector<std::string> topics;
};

/// The search read model in OpenSearch: a document per room (name,
/// description, tags, member count, public) and per message. Each batch is
/// one bulk request in which every document carries, as its external
/// version, one past the log offset of the last event applied to it: OpenSearch
/// refuses a version that is not newer, so a replayed event changes
/// nothing and events of one aggregate (one partition, rising offsets)
/// cannot overtake each other. The documents the batch changes are read
/// first (one mget) and changed whole. The checkpoints are written after
/// the bulk, versioned the same way; a crash between the two replays a
/// batch that then changes nothing.
class search_projection : public projection {
public:
  explicit search_projection(search_projection_options options);

  [[nodiscard]] const std::string& name() const override;
  [[nodiscard]] std::vector<std::string> topics() const override;
  [[nodiscard]] infra::result<checkpoints> load_checkpoints() override;
  [[nodiscard]] infra::result<applied> apply(const batch& b) override;

private:
  [[nodiscard]] std::optional<infra::error> ensure();

  search_projection_options options_;
  bool ensured_ = false;
};

} // namespace moim::projections
