#include "projections/read_side_config.hpp"

namespace moim::projections {

infra::config_keys<read_side_options> read_side_keys() {
  using options = read_side_options;
  return {
    infra::integer<options>(
      "max_batch", "records a projection applies at once, at most",
      [](auto& o) -> auto& { return o.runner.max_batch; }, 1, 100000),
    infra::integer<options>(
      "linger_ms", "how long a projection's batch waits for more records",
      [](auto& o) -> auto& { return o.runner.linger; }, 0, 10000),
    infra::integer<options>(
      "wait_ms",
      "how long a query given a position (after_position) waits for its "
      "read model, at most",
      &options::wait_limit, 0, 60000),
    infra::text<options>("redis_prefix",
                         "prefix of the Redis read model's keys",
                         &options::redis_prefix),
    infra::text<options>("search_prefix",
                         "prefix of the search read model's indices",
                         &options::search_prefix),
  };
}

infra::config_keys<read_side_options> synonym_keys() {
  using options = read_side_options;
  return {infra::text<options>(
    "synonyms_file",
    "synonym rules applied when indexing, one a line (\"meetup, gathering\"); "
    "empty: none",
    &options::synonyms_file)};
}

} // namespace moim::projections
