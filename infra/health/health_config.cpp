#include "infra/health/health_config.hpp"

namespace moim::infra {

config_keys<dependency_options> dependency_keys(const std::string& name,
                                                const std::string& url_key,
                                                const std::string& what) {
  using options = dependency_options;
  return {
    text<options>(url_key, what + "; empty: not configured", &options::url),
    boolean<options>("required",
                     "whether /readyz fails while " + name
                       + " is configured but unreachable",
                     &options::required),
  };
}

config_keys<readiness_options> readiness_keys() {
  return {integer<readiness_options>(
    "timeout_ms", "how long /readyz waits for each dependency",
    &readiness_options::timeout, 100, 60000)};
}

} // namespace moim::infra
