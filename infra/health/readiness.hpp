#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace moim::infra {

/// Asks one dependency whether it serves, within `timeout`. Returns nothing
/// when it does, or the error text. Runs on a thread of its own (blocking).
using dependency_probe = std::function<std::optional<std::string>(
  std::chrono::milliseconds timeout)>;

struct dependency_check {
  std::string name;
  bool configured = false; ///< not configured: reported, never probed
  bool required = true;
  dependency_probe probe;
};

struct dependency_status {
  std::string name;
  bool configured = false;
  bool required = true;
  bool ok = false;
  std::string detail; ///< the error text when not ok
  std::chrono::milliseconds took{0};
};

struct readiness_report {
  bool ready = true; ///< every configured, required dependency is ok
  std::vector<dependency_status> dependencies;

  /// {"status":"ok"|"unavailable","checks":{"kafka":{"status":"ok",...}}}
  [[nodiscard]] std::string to_json() const;
};

/// Probes every configured dependency concurrently; the whole check takes
/// about the longest single probe, bounded by `timeout`.
[[nodiscard]] readiness_report
check_readiness(const std::vector<dependency_check>& checks,
                std::chrono::milliseconds timeout);

} // namespace moim::infra
