#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace moim::infra {

/// Connects to `url` (a libpq URI) and runs `SELECT 1`.
[[nodiscard]] std::optional<std::string>
probe_postgres(const std::string& url, std::chrono::milliseconds timeout);

/// `url` with libpq's connect_timeout set (whole seconds, at least 1).
[[nodiscard]] std::string
with_connect_timeout(const std::string& url, std::chrono::milliseconds timeout);

} // namespace moim::infra
