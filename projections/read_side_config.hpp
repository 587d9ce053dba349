#pragma once

#include "infra/config/config_key.hpp"
#include "projections/read_side.hpp"

namespace moim::projections {

/// moimd mounts them as `projections.*`: max_batch, linger_ms, wait_ms,
/// redis_prefix, search_prefix.
[[nodiscard]] infra::config_keys<read_side_options> read_side_keys();

/// moimd mounts it as `search.synonyms_file`.
[[nodiscard]] infra::config_keys<read_side_options> synonym_keys();

} // namespace moim::projections
