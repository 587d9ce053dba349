#pragma once

#include "infra/config/config_key.hpp"

#include <string>

namespace moim::infra {

struct log_options {
  std::string level = "info";  ///< trace|debug|info|warn|error|off
  std::string format = "text"; ///< text (human lines) or json (log shippers)
};

/// moimd mounts them as `log.*`.
[[nodiscard]] config_keys<log_options> log_keys();

/// Configures the process-wide spdlog logger that writes to stderr: the
/// least severe level logged, and text lines or one JSON object per line.
void setup_logging(const log_options& options);

} // namespace moim::infra
