#include "infra/logging/logging.hpp"

#include "infra/logging/json_formatter.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace moim::infra {

void setup_logging(const std::string& level, const std::string& format) {
  auto logger = spdlog::stderr_color_mt("moimd");
  if (format == "json")
    logger->set_formatter(std::make_unique<json_formatter>());
  else
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

} // namespace moim::infra
