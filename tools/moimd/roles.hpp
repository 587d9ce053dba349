#pragma once

#include "infra/config/config_key.hpp"
#include "infra/error.hpp"

#include <string>

namespace moim::moimd {

/// What a node runs (`node.roles`, e.g. "gateway,write,projections").
struct roles {
  bool gateway = true;     ///< the REST, WebSocket and SSE endpoints
  bool write = true;       ///< the write side: aggregates of its partitions
  bool projections = true; ///< the projections of the configured stores
};

struct node_options {
  std::string roles = "gateway,write,projections";
};

/// moimd mounts it as `node.*`: roles.
[[nodiscard]] infra::config_keys<node_options> node_keys();

/// The roles in `text` (comma-separated, any order). An error names the
/// unknown role, or the combination this release cannot run (a gateway
/// sends commands to the write side of its own node).
[[nodiscard]] infra::result<roles> parse_roles(const std::string& text);

} // namespace moim::moimd
