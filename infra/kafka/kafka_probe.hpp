#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace moim::infra {

/// Asks the cluster at `brokers` for its metadata. Nothing when at least one
/// broker answered, else the error text.
[[nodiscard]] std::optional<std::string>
probe_kafka(const std::string& brokers, std::chrono::milliseconds timeout);

} // namespace moim::infra
