#pragma once

#include <string>

namespace moim::infra {

/// Configures the process-wide spdlog logger that writes to stderr:
/// `level` is trace|debug|info|warn|error|off, `format` is "text" (human
/// lines) or "json" (one JSON object per line, for log shippers).
void setup_logging(const std::string& level, const std::string& format);

} // namespace moim::infra
