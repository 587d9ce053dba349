#include "infra/logging/json_formatter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>

namespace moim::infra {

namespace {

std::string utc_timestamp(spdlog::log_clock::time_point tp) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(tp);
  auto millis = duration_cast<milliseconds>(tp - secs).count();
  auto t = spdlog::log_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  auto n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%.*s.%03dZ", static_cast<int>(n), buf,
                static_cast<int>(millis));
  return out;
}

} // namespace

void json_formatter::format(const spdlog::details::log_msg& msg,
                            spdlog::memory_buf_t& dest) {
  nlohmann::json record;
  record["ts"] = utc_timestamp(msg.time);
  auto level = spdlog::level::to_string_view(msg.level);
  record["level"] = std::string(level.data(), level.size());
  record["logger"]
    = std::string(msg.logger_name.data(), msg.logger_name.size());
  record["msg"] = std::string(msg.payload.data(), msg.payload.size());
  record["thread"] = msg.thread_id;
  // Invalid UTF-8 in a message is replaced, never a reason to throw.
  auto line
    = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  dest.append(line.data(), line.data() + line.size());
}

std::unique_ptr<spdlog::formatter> json_formatter::clone() const {
  return std::make_unique<json_formatter>();
}

} // namespace moim::infra
