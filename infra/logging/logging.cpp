#include "infra/logging/logging.hpp"

#include "infra/logging/json_formatter.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace moim::infra {

config_keys<log_options> log_keys() {
  return {
    choice<log_options>("level", "least severe level logged",
                        &log_options::level,
                        {"trace", "debug", "info", "warn", "error", "off"}),
    choice<log_options>("format", "text lines, or JSON lines",
                        &log_options::format, {"text", "json"}),
  };
}

void setup_logging(const log_options& options) {
  auto logger = spdlog::stderr_color_mt("moimd");
  if (options.format == "json")
    logger->set_formatter(std::make_unique<json_formatter>());
  else
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(spdlog::level::from_str(options.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

} // namespace moim::infra
