#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace moim::infra {

/// Asks OpenSearch/Elasticsearch at `url` for its cluster health; ready when
/// it answers 200 with status green or yellow.
[[nodiscard]] std::optional<std::string>
probe_search(const std::string& url, std::chrono::milliseconds timeout);

} // namespace moim::infra
