#pragma once

#include "infra/health/readiness.hpp"
#include "infra/http/router.hpp"
#include "infra/metrics/registry.hpp"
#include "tools/moimd/settings.hpp"

#include <functional>
#include <vector>

namespace moim::moimd {

/// The dependencies /readyz probes, as configured.
[[nodiscard]] std::vector<infra::dependency_check>
dependency_checks(const settings& cfg);

/// Runs blocking work (a readiness check) away from the I/O threads.
using blocking_executor = std::function<void(std::function<void()>)>;

/// GET /healthz, /readyz and /metrics.
void add_status_routes(infra::router& routes, infra::metrics_registry& metrics,
                       std::vector<infra::dependency_check> checks,
                       std::chrono::milliseconds timeout,
                       blocking_executor offload);

} // namespace moim::moimd
