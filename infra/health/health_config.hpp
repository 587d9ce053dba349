#pragma once

#include "infra/config/config_key.hpp"

#include <chrono>
#include <string>

namespace moim::infra {

/// An external dependency: where it is, and whether readiness needs it.
/// An empty url means "not configured": the part of Moim that needs it is
/// off (or, for Kafka, the embedded log is used).
struct dependency_options {
  std::string url;
  bool required = true;
};

/// `<url_key>` (what the url is: `what`) and `required`, for the dependency
/// moimd mounts as `name`.
[[nodiscard]] config_keys<dependency_options>
dependency_keys(const std::string& name, const std::string& url_key,
                const std::string& what);

struct readiness_options {
  std::chrono::milliseconds timeout{2000}; ///< per dependency probe
};

/// moimd mounts them as `readiness.*`.
[[nodiscard]] config_keys<readiness_options> readiness_keys();

} // namespace moim::infra
