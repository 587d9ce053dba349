#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace moim::infra {

/// Connects to `url` (redis://host:port) and sends PING.
[[nodiscard]] std::optional<std::string>
probe_redis(const std::string& url, std::chrono::milliseconds timeout);

} // namespace moim::infra
